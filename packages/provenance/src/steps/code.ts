import { dspKernels } from '@spyglass-wasm/dsp-wasm';
import dspPackage from '@spyglass-wasm/dsp-wasm/package.json';
import type { StepCode } from '../step.js';

/** dsp-wasm's code identity: its package version and its .wasm. */
export const DSP_CODE: StepCode = {
  package: dspPackage.name,
  packageVersion: dspPackage.version,
  kernels: [dspKernels],
};
