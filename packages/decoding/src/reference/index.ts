/**
 * Plain TypeScript references of the decoding kernels' math (dense filter and smoother, sorted and
 * clusterless likelihoods): `import { filterReference } from '@spyglass-wasm/decoding/reference'`.
 */
export { filterReference, smootherReference } from './filter.js';
export { sortedLogLikelihoodReference } from './sorted.js';
export { clusterlessAccumulateReference } from './clusterless.js';
