export { dspKernels, type DspExports } from './wasm/kernels.js';
export type { Backend } from './lib/backend.js';
export * from './filter/index.js';
export * from './spectral/index.js';
export * from './referencing/index.js';
export * from './lfp/index.js';
export * from './events/index.js';
export * from './artifacts/index.js';
export * from './parallel/index.js';
