export { dspKernels, type DspExports } from './wasm/kernels.js';
export type { Backend } from '@spyglass-wasm/core';
export * from './filter/index.js';
export * from './spectral/index.js';
export * from './referencing/index.js';
export * from './lfp/index.js';
export * from './events/index.js';
export * from './artifacts/index.js';
export * from './parallel/index.js';
/** SHA-256 of this package's sources at build time (provenance step versions carry it). */
export { CODE_HASH as codeHash } from './code-hash.generated.js';
