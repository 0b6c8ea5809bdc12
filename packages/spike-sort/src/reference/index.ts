/**
 * Plain TypeScript references of the PCA kernels' math (covariance, projection, subspace
 * iteration): `import { fitPcaReference } from '@spyglass-wasm/spike-sort/reference'`.
 */
export {
  covarianceReference,
  projectPcaReference,
  covarianceTimesReference,
  fitPcaReference,
} from '../features/pca-reference.js';
