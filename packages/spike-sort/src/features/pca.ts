import { createRng } from '@spyglass-wasm/sim';

/** Principal components: mean, components (k × d, row-major), and the projected features (n × k). */
export interface Pca {
  mean: Float64Array;
  components: Float64Array;
  k: number;
  d: number;
}

/**
 * Top-k principal components of n points in d dimensions (row-major float32), by block power
 * iteration on the covariance (Gram–Schmidt each step): a few matrix products instead of a full
 * d × d eigendecomposition. Seeded, so the same data gives the same axes.
 */
export function fitPca(x: Float32Array, n: number, d: number, k: number, seed = 1): Pca {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, n);
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += ra * row[b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b];
  const rng = createRng(seed);
  let v = Float64Array.from({ length: k * d }, () => rng.normal());
  // Block power iteration until the subspace stops turning (each axis moves less than 1e-8), at most 60 rounds.
  for (let it = 0; it < 60; it++) {
    const w = new Float64Array(k * d);
    for (let c = 0; c < k; c++)
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += cov[a * d + b] * v[c * d + b];
        w[c * d + a] = s;
      }
    orthonormalize(w, k, d);
    let moved = 0;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += w[c * d + j] * v[c * d + j];
      moved = Math.max(moved, 1 - Math.abs(dot));
    }
    v = w;
    if (moved < 1e-8) break;
  }
  return { mean, components: v, k, d };
}

/** Features: (x − mean) · componentsᵀ, n × k. */
export function projectPca(pca: Pca, x: Float32Array, n: number): Float32Array {
  const { mean, components, k, d } = pca;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[i * d + j] - mean[j]) * components[c * d + j];
      out[i * k + c] = s;
    }
  return out;
}

function orthonormalize(w: Float64Array, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += w[c * d + j] * w[p * d + j];
      for (let j = 0; j < d; j++) w[c * d + j] -= dot * w[p * d + j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += w[c * d + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < d; j++) w[c * d + j] /= norm;
  }
}
