import { codeHash as coreCode } from '@spyglass-wasm/core';
import { codeHash as dspCode, dspKernels } from '@spyglass-wasm/dsp-wasm';
import dspPackage from '@spyglass-wasm/dsp-wasm/package.json';
import { codeHash as nwbCode } from '@spyglass-wasm/nwb-io';
import type { StepCode } from '../step.js';
import { CODE_HASH as provenanceCode } from '../code-hash.generated.js';

/**
 * A step's code identity: its package's name and version, the kernels it runs, and the source
 * hashes of its package, of `uses` (other packages it calls) and of the packages every step
 * relies on (core, nwb-io for reading, provenance for the step itself).
 */
export function stepCode(pkg: { name: string; version: string }, kernels: StepCode['kernels'], sources: Record<string, string>): StepCode {
  return {
    package: pkg.name,
    packageVersion: pkg.version,
    kernels,
    sources: { ...sources, '@spyglass-wasm/core': coreCode, '@spyglass-wasm/nwb-io': nwbCode, '@spyglass-wasm/provenance': provenanceCode },
  };
}

/** dsp-wasm's code identity: its package version, its .wasm and its sources. */
export const DSP_CODE: StepCode = stepCode(dspPackage, [dspKernels], { [dspPackage.name]: dspCode });
