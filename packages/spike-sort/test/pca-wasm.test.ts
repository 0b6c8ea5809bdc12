import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { covariance, fitPca, projectPca, spikeSortKernels } from '../src/index.js';
import {
  covarianceReference,
  covarianceTimesReference,
  fitPcaReference,
  projectPcaReference,
} from '../src/reference/index.js';
import { principalAxes, wasmSteps } from '../src/features/pca.js';

const rng = createRng(11);
// 5000 rows (more than one 4096-row block) of 362 dims (not a multiple of 4): the kernels' edges.
const n = 5000,
  d = 362;
const x = Float32Array.from({ length: n * d }, (_, i) => 50 * rng.normal() + (i % d) * 0.1);
const X = { data: x, rows: n, cols: d };
const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let diff = 0,
    scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
};

describe('PCA kernels (Wasm) against their TypeScript references', () => {
  it('covariance matches to 1e-12 of its scale', () => {
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
    expect(maxRel(covariance(X, mean), covarianceReference(X, mean))).toBeLessThan(1e-12);
  });
  it('projection (float32 lanes) matches the float64 reference to 1e-5 of its scale', () => {
    const pca = fitPca(X, { components: 8, seed: 3 });
    const f = projectPca(pca, X);
    expect([f.rows, f.cols]).toEqual([n, 8]);
    expect(maxRel(f.data, projectPcaReference(pca, X).data)).toBeLessThan(1e-5);
    expect(projectPca(pca, { data: x, rows: 0, cols: d }).data).toHaveLength(0);
  });
  it('gives the same results at every edge of the blocked kernels (odd rows, k not a multiple of 4, zero entries)', () => {
    // The kernels take two rows x four components (projection) and four rows (covariance) at a
    // time; leftovers go through the one-at-a-time loops.
    const m = 4099,
      dim = 91;
    const y = Float32Array.from({ length: m * dim }, (_, i) => (i % 13 === 0 ? 0 : 30 * rng.normal()));
    const mean = new Float64Array(dim); // zero mean: the zero entries are zero once centred
    const Y = { data: y, rows: m, cols: dim };
    expect(maxRel(covariance(Y, mean), covarianceReference(Y, mean))).toBeLessThan(1e-12);
    for (const k of [1, 3, 5, 8, 10]) {
      const pca = fitPca(Y, { components: k, seed: 2 });
      for (const rows of [1, 2, 3, m]) {
        const part = { data: y, rows, cols: dim };
        expect(maxRel(projectPca(pca, part).data, projectPcaReference(pca, part).data)).toBeLessThan(1e-5);
      }
    }
  });
  it("the subspace iteration's cov · v (Wasm) gives exactly the reference's sums", () => {
    const { exports, heap } = spikeSortKernels.get();
    const times = exports.covarianceTimes;
    for (const dim of [1, 2, 6, 7, 360, 361, 362])
      for (const k of [1, 3, 4, 8, 10]) {
        const y = Float32Array.from({ length: 300 * dim }, () => 20 * rng.normal());
        const cov = covarianceReference({ data: y, rows: 300, cols: dim }, new Float64Array(dim));
        const v = Float64Array.from({ length: k * dim }, () => rng.normal());
        const w = heap.scoped(() => {
          const pW = heap.alloc(k * dim * 8);
          times(heap.put(cov), dim, heap.put(v), k, pW);
          return heap.f64(pW, k * dim).slice();
        });
        expect(w).toEqual(covarianceTimesReference(cov, dim, v, k));
      }
  });
  it('columnsTimes (v · m, any shape) gives exactly the plain sums in row order', () => {
    const { exports, heap } = spikeSortKernels.get();
    for (const [rows, cols] of [
      [1, 1],
      [5, 362],
      [361, 7],
      [90, 901],
    ])
      for (const k of [1, 3, 4, 9]) {
        const m = Float64Array.from({ length: rows * cols }, () => rng.normal());
        const v = Float64Array.from({ length: k * rows }, () => rng.normal());
        const want = new Float64Array(k * cols);
        for (let c = 0; c < k; c++)
          for (let a = 0; a < cols; a++) {
            let s = 0;
            for (let b = 0; b < rows; b++) s += m[b * cols + a] * v[c * rows + b];
            want[c * cols + a] = s;
          }
        const w = heap.scoped(() => {
          const pW = heap.alloc(k * cols * 8);
          exports.columnsTimes(heap.put(m), rows, cols, heap.put(v), k, pW);
          return heap.f64(pW, k * cols).slice();
        });
        expect(w).toEqual(want);
      }
  });
  it("principalAxes' rotations and Gram-Schmidt in Wasm give exactly the plain TypeScript's axes", () => {
    for (const [dim, k] of [
      [1, 1],
      [7, 3],
      [90, 8],
      [361, 5],
    ]) {
      const y = Float32Array.from({ length: 200 * dim }, (_, i) => 20 * rng.normal() * (1 + (i % dim) / dim));
      const cov = covarianceReference({ data: y, rows: 200, cols: dim }, new Float64Array(dim));
      const times = (v: Float64Array, m: number) => covarianceTimesReference(cov, dim, v, m);
      expect(principalAxes(dim, k, 3, times, wasmSteps())).toEqual(principalAxes(dim, k, 3, times));
    }
    // a zero row and a repeated row (norm 0 after the projection) keep the plain loop's bits
    const w = Float64Array.from({ length: 4 * 5 }, (_, i) => (i < 5 ? 0 : i < 10 ? i : i < 15 ? i - 5 : rng.normal()));
    const plain = w.slice(),
      wasm = w.slice();
    for (let c = 0; c < 4; c++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let j = 0; j < 5; j++) dot += plain[c * 5 + j] * plain[p * 5 + j];
        for (let j = 0; j < 5; j++) plain[c * 5 + j] -= dot * plain[p * 5 + j];
      }
      let norm = 0;
      for (let j = 0; j < 5; j++) norm += plain[c * 5 + j] ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < 5; j++) plain[c * 5 + j] /= norm;
    }
    wasmSteps().orthonormalize(wasm, 4, 5);
    expect(wasm).toEqual(plain);
  });
  it('fitPca with fewer points than dimensions (iterated on the n × n Gram matrix) finds the axes fitPcaReference finds', () => {
    // clusters of 60-200 waveforms of 900 dims (30 channels x 30 samples), as branchSplit fits; at 3
    // components 11 vectors are iterated: 13 points take the Gram route, 12 (v · Xcᵀ) · Xc
    for (const [m, dim, seed] of [
      [150, 900, 1],
      [61, 362, 4],
      [13, 200, 2],
      [12, 200, 3],
    ]) {
      const y = new Float32Array(m * dim);
      for (let i = 0; i < m; i++) {
        const a = 50 * rng.normal(),
          b = 30 * rng.normal(),
          c = 15 * rng.normal();
        for (let j = 0; j < dim; j++)
          y[i * dim + j] = a * Math.sin(j / 9) + b * Math.cos(j / 13) + c * Math.sin(j / 31) + 10 * rng.normal();
      }
      const Y = { data: y, rows: m, cols: dim };
      const got = fitPca(Y, { components: 3, seed }),
        want = fitPcaReference(Y, { components: 3, seed });
      expect(got.mean).toEqual(want.mean);
      expect(maxRel(got.components, want.components)).toBeLessThan(1e-6);
    }
  });
  it('fitPca (Wasm covariance and iteration products) finds the axes fitPcaReference finds', () => {
    const m = 3000,
      dim = 90;
    const y = new Float32Array(m * dim);
    for (let i = 0; i < m; i++) {
      const a = 50 * rng.normal(),
        b = 30 * rng.normal();
      for (let j = 0; j < dim; j++) y[i * dim + j] = a * Math.sin(j / 9) + b * Math.cos(j / 13) + 10 * rng.normal();
    }
    const Y = { data: y, rows: m, cols: dim };
    const got = fitPca(Y, { components: 8, seed: 1 }),
      want = fitPcaReference(Y, { components: 8, seed: 1 });
    expect(got.mean).toEqual(want.mean);
    expect(maxRel(got.components, want.components)).toBeLessThan(1e-6);
  });
  it('finds the axes of data with known structure', () => {
    // Points along two orthogonal directions with variances 100 and 25, plus unit noise.
    const m = 2000,
      dim = 20;
    const u = Float64Array.from({ length: dim }, (_, j) => (j === 3 ? 1 : 0));
    const v = Float64Array.from({ length: dim }, (_, j) => (j === 7 ? 0.6 : j === 8 ? 0.8 : 0));
    const pts = new Float32Array(m * dim);
    for (let i = 0; i < m; i++) {
      const a = 10 * rng.normal(),
        b = 5 * rng.normal();
      for (let j = 0; j < dim; j++) pts[i * dim + j] = a * u[j] + b * v[j] + 0.1 * rng.normal();
    }
    const pca = fitPca({ data: pts, rows: m, cols: dim }, { components: 2, seed: 1 });
    const dot = (c: number, w: Float64Array) => Math.abs(w.reduce((s, q, j) => s + q * pca.components[c * dim + j], 0));
    expect(dot(0, u)).toBeGreaterThan(0.999);
    expect(dot(1, v)).toBeGreaterThan(0.999);
  });
  it('finds axes whose variances lie close together, in order (where 60 rounds of power iteration on 8 vectors left them mixed)', () => {
    // 8 orthogonal directions with standard deviations 3.0, 2.9, ..., 2.3 over unit noise in 120 dims
    const m = 6000,
      dim = 120,
      k = 8;
    const axes = Array.from({ length: k }, (_, c) =>
      Float64Array.from({ length: dim }, (_, j) => (j % k === c ? 1 : 0) / Math.sqrt(dim / k)),
    );
    const pts = new Float32Array(m * dim);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < dim; j++) pts[i * dim + j] = rng.normal();
      axes.forEach((a, c) => {
        const s = (3 - 0.1 * c) * rng.normal();
        for (let j = 0; j < dim; j++) pts[i * dim + j] += s * a[j];
      });
    }
    const P = { data: pts, rows: m, cols: dim };
    const pca = fitPca(P, { components: k, seed: 1 });
    const f = projectPca(pca, P).data;
    const variance = Array.from(
      { length: k },
      (_, c) => f.reduce((acc, q, i) => (i % k === c ? acc + q * q : acc), 0) / m,
    );
    for (let c = 1; c < k; c++) expect(variance[c]).toBeLessThan(variance[c - 1]);
    // the span of the found axes is the span of the true ones
    for (const a of axes) {
      let captured = 0;
      for (let c = 0; c < k; c++) captured += a.reduce((acc, q, j) => acc + q * pca.components[c * dim + j], 0) ** 2;
      expect(captured).toBeGreaterThan(0.99);
    }
  });
  it('maxRows fits the axes to evenly spaced rows; options and shapes are checked by name', () => {
    const step = Math.ceil(n / 1000);
    const even = Float32Array.from(
      { length: Math.ceil(n / step) * d },
      (_, i) => x[Math.floor(i / d) * step * d + (i % d)],
    );
    const sub = fitPca({ data: even, rows: even.length / d, cols: d }, { components: 4 });
    expect(fitPca(X, { components: 4, maxRows: 1000 })).toEqual(sub);
    expect(() => fitPca(X, { components: 4, maxrows: 1000 } as never)).toThrow(
      /'maxrows': expected no such option of fitPca/,
    );
    expect(() => fitPca(X, { components: 0 })).toThrow(/'components'/);
    expect(() => fitPca(x as never, 8 as never)).toThrow(/an options object for fitPca/);
    expect(() => projectPca(sub, { data: x, rows: 10, cols: d - 1 })).toThrow(/'x': expected 362 columns/);
    expect(() => covariance(X, new Float64Array(3))).toThrow(/'mean'/);
  });
});
