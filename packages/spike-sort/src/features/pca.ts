import { createRng } from '@spyglass-wasm/sim';
import { spikeSortKernels } from '../wasm/kernels.js';

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
  const cov = covariance(x, n, d, mean);
  const rng = createRng(seed);
  let v = Float64Array.from({ length: k * d }, () => rng.normal());
  // Block power iteration until the subspace stops turning (each axis moves less than 1e-8), at
  // most 60 rounds. cov · v runs in Wasm (`covarianceTimes`, the same sums in the same order as
  // `covarianceTimesReference`), with the covariance copied in once.
  const { exports: kernels, heap } = spikeSortKernels.get();
  heap.scoped(() => {
    const pCov = heap.put(cov), pV = heap.alloc(k * d * 8), pW = heap.alloc(k * d * 8);
    for (let it = 0; it < 60; it++) {
      heap.f64(pV, k * d).set(v);
      kernels.covarianceTimes(pCov, d, pV, k, pW);
      const w = heap.f64(pW, k * d).slice();
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
  });
  return { mean, components: v, k, d };
}

/** Features: (x − mean) · componentsᵀ, n × k, float32 (Wasm, f32x4; `projectPcaReference` is the plain version). */
export function projectPca(pca: Pca, x: Float32Array, n: number): Float32Array {
  const { mean, components, k, d } = pca;
  const out = new Float32Array(n * k);
  if (n === 0) return out;
  const bias = Float32Array.from({ length: k }, (_, c) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += mean[j] * components[c * d + j];
    return s;
  });
  const { exports: w, heap } = spikeSortKernels.get();
  heap.scoped(() => {
    const pComp = heap.put(Float32Array.from(components)), pBias = heap.put(bias);
    for (let i0 = 0; i0 < n; i0 += BLOCK)
      heap.scoped(() => {
        const rows = Math.min(BLOCK, n - i0);
        const pX = heap.put(x.subarray(i0 * d, (i0 + rows) * d));
        const pOut = heap.alloc(rows * k * 4);
        w.projectFeatures(pX, rows, d, pComp, k, pBias, pOut);
        out.set(heap.f32(pOut, rows * k), i0 * k);
      });
  });
  return out;
}

/** The covariance (d × d, float64) of n float32 rows about `mean` (Wasm; `covarianceReference` is the plain version). */
export function covariance(x: Float32Array, n: number, d: number, mean: Float64Array): Float64Array {
  const { exports: w, heap } = spikeSortKernels.get();
  const cov = heap.scoped(() => {
    const pCov = heap.alloc(d * d * 8);
    heap.f64(pCov, d * d).fill(0);
    const pMean = heap.put(mean), pRow = heap.alloc(4 * d * 8); // four centred rows (the kernel's scratch)
    for (let i0 = 0; i0 < n; i0 += BLOCK)
      heap.scoped(() => {
        const rows = Math.min(BLOCK, n - i0);
        w.accumulateCovariance(heap.put(x.subarray(i0 * d, (i0 + rows) * d)), rows, d, pMean, pRow, pCov);
      });
    return heap.f64(pCov, d * d).slice();
  });
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b];
  return cov;
}

/** Rows per trip into Wasm memory, so a large input is never copied whole. */
const BLOCK = 4096;

/** Gram–Schmidt on the k rows of w (k × d), in place. */
export function orthonormalize(w: Float64Array, k: number, d: number): void {
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
