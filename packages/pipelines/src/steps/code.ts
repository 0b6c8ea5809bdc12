import { codeHash as coreCode } from '@spyglass-wasm/core';
import { codeHash as dspCode, dspKernels } from '@spyglass-wasm/dsp-wasm';
import dspPackage from '@spyglass-wasm/dsp-wasm/package.json';
import { codeHash as nwbCode } from '@spyglass-wasm/nwb-io';
import { codeHash as provenanceCode, type StepCode } from '@spyglass-wasm/provenance';
import { CODE_HASH as pipelinesCode } from '../code-hash.generated.js';

/**
 * A step's code identity: its package's name and version, the kernels it runs, and the source
 * hashes of its package, of `sources` (other packages it calls) and of the packages every step
 * relies on (core, nwb-io for reading, provenance for the engine, pipelines for the step itself).
 */
export function stepCode(
  pkg: { name: string; version: string },
  kernels: StepCode['kernels'],
  sources: Record<string, string>,
): StepCode {
  return {
    package: pkg.name,
    packageVersion: pkg.version,
    kernels,
    sources: {
      ...sources,
      '@spyglass-wasm/core': coreCode,
      '@spyglass-wasm/nwb-io': nwbCode,
      '@spyglass-wasm/provenance': provenanceCode,
      '@spyglass-wasm/pipelines': pipelinesCode,
    },
  };
}

/** dsp-wasm's code identity: its package version, its .wasm and its sources. */
export const DSP_CODE: StepCode = stepCode(dspPackage, [dspKernels], { [dspPackage.name]: dspCode });
