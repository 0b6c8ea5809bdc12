export { dspKernels, type DspExports } from './wasm/kernels.js';
export { sosfiltReference } from './reference/sosfilt.js';
