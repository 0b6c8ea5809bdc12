import type { Matrix } from '@spyglass-wasm/core';
import { covarianceInput, pcaInput, pcaOptions, principalAxes, rowMean, type Pca, type PcaOptions } from './pca.js';
import { pointsMatrix } from './points.js';

/** Plain TypeScript covariance sums of the float32 rows of x about `mean` (d × d): the reference for `covariance`. */
export function covarianceReference(m: Matrix<Float32Array>, mean: Float64Array): Float64Array {
  const { data: x, rows: n, cols: d } = covarianceInput(m, mean);
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b] += row[a] * row[b];
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b];
  return cov;
}

/** Plain TypeScript (x − mean) · componentsᵀ in float64: the reference for `projectPca`. */
export function projectPcaReference(pca: Pca, m: Matrix<Float32Array>): Matrix<Float32Array> {
  const { mean, components, k, d } = pca;
  const { data: x, rows: n } = pcaInput(pca, m);
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j] - mean[j]) * components[c * d + j];
      out[i * k + c] = s;
    }
  return { data: out, rows: n, cols: k };
}

/** Plain TypeScript cov · vᵀ for the k rows of v (k × d): the reference for fitPca's `covarianceTimes` kernel. */
export function covarianceTimesReference(cov: Float64Array, d: number, v: Float64Array, k: number): Float64Array {
  const w = new Float64Array(k * d);
  for (let c = 0; c < k; c++)
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += cov[a * d + b] * v[c * d + b];
      w[c * d + a] = s;
    }
  return w;
}

/**
 * Plain TypeScript `fitPca` (the same subspace iteration on `covarianceReference` and
 * `covarianceTimesReference`), on every row (`maxRows` is not an option here).
 */
export function fitPcaReference(m: Matrix<Float32Array>, options: Omit<PcaOptions, 'maxRows'>): Pca {
  const { data: x, rows: n, cols: d } = pointsMatrix(m);
  const { k, seed } = pcaOptions('fitPcaReference', options, d, ['components', 'seed']);
  const mean = rowMean(x, n, d);
  const cov = covarianceReference(m, mean);
  return { mean, components: principalAxes(d, k, seed, (v, m) => covarianceTimesReference(cov, d, v, m)), k, d };
}
