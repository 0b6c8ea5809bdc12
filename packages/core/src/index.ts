export * from './errors/index.js';
export * from './array/index.js';
export * from './wasm/index.js';
export * from './pool/index.js';
export { checkNumber, checkChoice } from './params/check.js';
export { checkBackend, type Backend } from './params/backend.js';
export { checkOptionNames } from './params/options.js';
export * from './intervals/index.js';
export { createRng, type Rng } from './random/rng.js';
export { median, medianStep, medianInPlace, nanMedian } from './stats/median.js';
export { maxOf, minOf } from './stats/max-of.js';
export { interpolate, type InterpolateOptions } from './signal/interpolate.js';
export { gaussianFilter1d, type GaussianFilterOptions } from './signal/gaussian-filter.js';
export { symmetricEigen } from './linalg/symmetric-eigen.js';
export { StagedProgress, type ProgressCallback } from './progress/staged-progress.js';
/** SHA-256 of this package's sources at build time (provenance step versions carry it). */
export { CODE_HASH as codeHash } from './code-hash.generated.js';
export * from './math/index.js';
