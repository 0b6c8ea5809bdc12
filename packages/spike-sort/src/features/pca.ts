import {
  checkNumber,
  checkOptionNames,
  createRng,
  ParameterError,
  symmetricEigen,
  type Matrix,
} from '@spyglass-wasm/core';
import { spikeSortKernels } from '../wasm/kernels.js';
import { pointsMatrix } from './points.js';

/** Principal components: mean, components (k × d, row-major), and the projected features (n × k). */
export interface Pca {
  mean: Float64Array;
  components: Float64Array;
  k: number;
  d: number;
}

export interface PcaOptions {
  /** How many principal components (1 or more; at most the dimension). */
  components: number;
  /** Seed of the starting subspace (default 1): the same data and seed give the same axes. */
  seed?: number;
  /** Fit the axes to at most this many rows, evenly spaced (default all): the covariance costs n·d². */
  maxRows?: number;
}

/**
 * Top principal components of the rows of `x` (points × dimensions, float32), by subspace
 * iteration on the covariance (`principalAxes`): a few matrix products instead of a full d × d
 * eigendecomposition. Seeded, so the same data gives the same axes. With fewer rows than
 * dimensions (or not many more) the products go through the centred rows instead of the
 * covariance (`fewPointsAxes`, `throughPoints`), and with few enough through their n × n Gram
 * matrix (`gramAxes`, `gramRoute`).
 *
 * @example
 * const pca = fitPca({ data: waveforms, rows: spikes, cols: 360 }, { components: 8, maxRows: 3000 });
 * const features = projectPca(pca, { data: waveforms, rows: spikes, cols: 360 }); // spikes × 8
 */
export function fitPca(x: Matrix<Float32Array>, options: PcaOptions): Pca {
  const { data, rows, cols: d } = pointsMatrix(x);
  const { k, seed, maxRows } = pcaOptions('fitPca', options, d);
  const fit = evenRows(data, rows, d, maxRows);
  const n = fit.length / d;
  const mean = rowMean(fit, n, d);
  const { exports: kernels, heap } = spikeSortKernels.get();
  if (gramRoute(n, d, k)) return { mean, components: gramAxes(fit, n, d, mean, k, seed), k, d };
  if (throughPoints(n, d, k)) return { mean, components: fewPointsAxes(fit, n, d, mean, k, seed), k, d };
  const cov = covarianceOf(fit, n, d, mean);
  // cov · v runs in Wasm (`covarianceTimes`, the same sums in the same order as
  // `covarianceTimesReference`), with the covariance copied in once.
  const components = heap.scoped(() => {
    const pCov = heap.put(cov);
    return principalAxes(
      d,
      k,
      seed,
      (v, m) =>
        heap.scoped(() => {
          const pW = heap.alloc(m * d * 8);
          kernels.covarianceTimes(pCov, d, heap.put(v), m, pW);
          return heap.f64(pW, m * d).slice();
        }),
      wasmSteps(),
    );
  });
  return { mean, components, k, d };
}

/**
 * Whether cov · v is cheaper through the n centred points than through the d × d covariance, for
 * principalAxes' m = k + 8 vectors over a typical 20 rounds: 2·n·d·m a round against the
 * covariance's n·d²/2 once plus d²·m a round. Always when n < d; at 900 dims up to ~1500 points.
 */
function throughPoints(n: number, d: number, k: number): boolean {
  const m = Math.min(d, k + 8),
    rounds = 20;
  return n < d || n * (2 * m * rounds - d / 2) < rounds * d * m;
}

/**
 * principalAxes for few points against the dimension (as a cluster's waveforms on many
 * channels): cov · v is (v · Xcᵀ) · Xc with Xc the centred points (float64, as the covariance
 * kernel centres them), 2·n·d per vector instead of d² and no d × d covariance (n·d²/2) at all.
 * The same iteration on the same matrix, so the axes agree with the covariance route to rounding
 * (the sums run in another order).
 */
function fewPointsAxes(x: Float32Array, n: number, d: number, mean: Float64Array, k: number, seed: number) {
  const { exports: kernels, heap } = spikeSortKernels.get();
  return heap.scoped(() => {
    // centred straight into Wasm memory (no JavaScript copies to collect)
    const pX = heap.alloc(n * d * 8),
      pXt = heap.alloc(d * n * 8);
    const xc = heap.f64(pX, n * d),
      xt = heap.f64(pXt, d * n);
    centre(x, n, d, mean, xc, xt);
    return principalAxes(
      d,
      k,
      seed,
      (v, m) =>
        heap.scoped(() => {
          const pP = heap.alloc(m * n * 8),
            pW = heap.alloc(m * d * 8);
          kernels.columnsTimes(pXt, d, n, heap.put(v), m, pP); // P = v · Xcᵀ (m × n)
          kernels.columnsTimes(pX, n, d, pP, m, pW); // W = P · Xc (m × d)
          return heap.f64(pW, m * d).slice();
        }),
      wasmSteps(),
    );
  });
}

/**
 * Whether fitPca is cheaper on the n × n Gram matrix than through the points (typical 20 rounds):
 * n²·d/2 to form it (one triangle) and m·n² a round, against 2·m·n·d a round; at 1080 dims up to
 * ~800 points; only with fewer points than dimensions, and never with at most m + 1 points, where the
 * iterated vectors outnumber the points' directions.
 */
function gramRoute(n: number, d: number, k: number): boolean {
  const m = Math.min(d, k + 8),
    rounds = 20;
  return n > m + 1 && n < d && n * (d / 2 + rounds * m) < 2 * rounds * m * d;
}

/**
 * principalAxes for fewer points than dimensions, run on coefficients: after the first product
 * every iterate lies in the span of the n centred points, v = A · Xc (A: m × n), and cov · v is
 * (A · G) · Xc with G = Xc · Xcᵀ (n × n, formed once). A round then costs m·n² instead of 2·m·n·d,
 * and v · w sums are taken through G (vₚ · w_q = (A·G)ₚ · (A·G)_q; Gram–Schmidt in G's inner
 * product, whose products (A·G) follow A's row operations). The same iteration from the same
 * start, so the same axes to rounding; the axes are A · Xc at the end.
 */
function gramAxes(x: Float32Array, n: number, d: number, mean: Float64Array, k: number, seed: number): Float64Array {
  const { exports: kernels, heap } = spikeSortKernels.get();
  const m = Math.min(d, k + 8);
  return heap.scoped(() => {
    const B = GRAM_BLOCK,
      blocks = Math.ceil(n / B);
    const pX = heap.alloc(n * d * 8),
      pXt = heap.alloc(d * n * 8),
      pG = heap.alloc(n * n * 8),
      pOut = heap.alloc(Math.max(B, m) * B * 8);
    const span = (J: number) => [J * B, Math.min(n, (J + 1) * B)];
    // Xc, and Xcᵀ by blocks of B points (block J: d × its points, contiguous, at pXt + J·B·d)
    const xc = heap.f64(pX, n * d),
      xt = heap.f64(pXt, d * n);
    centre(x, n, d, mean, xc);
    for (let J = 0; J < blocks; J++) {
      const [j0, j1] = span(J),
        bj = j1 - j0,
        at = j0 * d;
      for (let c0 = 0; c0 < d; c0 += 32)
        for (let i = j0; i < j1; i++)
          for (let c = c0; c < Math.min(d, c0 + 32); c++) xt[at + c * bj + i - j0] = xc[i * d + c];
    }
    // G = Xc · Xcᵀ, the blocks on and above the diagonal (each entry summed over the dimensions in
    // order, as the whole product would), mirrored below
    for (let I = 0; I < blocks; I++)
      for (let J = I; J < blocks; J++) {
        const [i0, i1] = span(I),
          [j0, j1] = span(J);
        const bi = i1 - i0,
          bj = j1 - j0;
        kernels.columnsTimes(pXt + j0 * d * 8, d, bj, pX + i0 * d * 8, bi, pOut);
        const out = heap.f64(pOut, bi * bj),
          g = heap.f64(pG, n * n);
        for (let r = 0; r < bi; r++)
          for (let c = 0; c < bj; c++) g[(i0 + r) * n + j0 + c] = g[(j0 + c) * n + i0 + r] = out[r * bj + c];
      }
    /** rows of a (· × r) times b (r × c), in Wasm. */
    const times = (b: number, r: number, c: number, a: Float64Array, rows: number) =>
      heap.scoped(() => {
        const pOut = heap.alloc(rows * c * 8);
        kernels.columnsTimes(b, r, c, heap.put(a.subarray(0, rows * r)), rows, pOut);
        return heap.f64(pOut, rows * c).slice();
      });
    const steps = wasmSteps();
    const rng = createRng(seed);
    const v0: Float64Array = Float64Array.from({ length: m * d }, () => rng.normal());
    steps.orthonormalize(v0, m, d);
    // round 0 in d: w = (v0 · Xcᵀ) · Xc, so w's coefficients are P = v0 · Xcᵀ and vₚ · w_q = Pₚ · P_q
    let h: Float64Array = new Float64Array(m * n);
    heap.scoped(() => {
      const pV = heap.put(v0);
      for (let J = 0; J < blocks; J++) {
        const [j0, j1] = span(J),
          bj = j1 - j0;
        kernels.columnsTimes(pXt + j0 * d * 8, d, bj, pV, m, pOut);
        const out = heap.f64(pOut, m * bj);
        for (let r = 0; r < m; r++) for (let c = 0; c < bj; c++) h[r * n + j0 + c] = out[r * bj + c];
      }
    });
    let { values, vectors } = ritz(h, h, m, n);
    let previous = values.slice(0, k);
    let a: Float64Array = h;
    for (let round = 1; round < 200; round++) {
      // next subspace: w rotated onto the Ritz vectors, G-orthonormalized; h = a · G
      a = rotate(vectors, h, m, m, n);
      h = times(pG, n, n, a, m);
      gOrthonormalize(a, h, m, n); // h stays a · G: w's coefficients
      ({ values, vectors } = ritz(h, h, m, n));
      let settled = true;
      for (let c = 0; c < k; c++)
        if (!(Math.abs(values[c] - previous[c]) <= 1e-8 * Math.abs(values[0]))) settled = false;
      if (settled) break;
      previous = values.slice(0, k);
    }
    return times(pX, n, d, rotate(vectors, a, k, m, n), k);
  });
}

/** Points per block of gramAxes' Gram matrix (its blocks below the diagonal are mirrored, not computed). */
const GRAM_BLOCK = 64;

/** Gram–Schmidt of the rows of a (k × n) in the inner product ⟨p, q⟩ = p · G · qᵀ, with h = a · G kept alongside. */
function gOrthonormalize(a: Float64Array, h: Float64Array, k: number, n: number): void {
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += a[c * n + j] * h[p * n + j];
      for (let j = 0; j < n; j++) {
        a[c * n + j] -= dot * a[p * n + j];
        h[c * n + j] -= dot * h[p * n + j];
      }
    }
    let norm = 0;
    for (let j = 0; j < n; j++) norm += a[c * n + j] * h[c * n + j];
    norm = Math.sqrt(Math.max(0, norm)) || 1;
    for (let j = 0; j < n; j++) {
      a[c * n + j] /= norm;
      h[c * n + j] /= norm;
    }
  }
}

/**
 * xc = x − mean (n × d) and, when given, its transpose xt (d × n), in 32 × 32 tiles so that
 * neither is written a cache line per value.
 */
function centre(x: Float32Array, n: number, d: number, mean: Float64Array, xc: Float64Array, xt?: Float64Array): void {
  for (let i0 = 0; i0 < n; i0 += 32)
    for (let j0 = 0; j0 < d; j0 += 32) {
      const i1 = Math.min(n, i0 + 32),
        j1 = Math.min(d, j0 + 32);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) xc[i * d + j] = x[i * d + j] - mean[j];
      if (xt) for (let j = j0; j < j1; j++) for (let i = i0; i < i1; i++) xt[j * n + i] = xc[i * d + j];
    }
}

/** fitPca's options, checked (shared with `fitPcaReference`). */
export function pcaOptions(
  fn: string,
  options: PcaOptions,
  d: number,
  known: readonly string[] = ['components', 'seed', 'maxRows'],
): { k: number; seed: number; maxRows: number } {
  checkOptionNames(fn, options, known);
  const k = checkNumber('components', options?.components, { min: 1, max: d, integer: true });
  const seed = checkNumber('seed', options.seed ?? 1, { integer: true });
  const maxRows = options.maxRows ?? Infinity;
  if (maxRows !== Infinity) checkNumber('maxRows', maxRows, { min: 1, integer: true });
  return { k, seed, maxRows };
}

/** At most `maxRows` of the n rows of x (· × d), evenly spaced: every ceil(n / maxRows)-th. */
function evenRows(x: Float32Array, n: number, d: number, maxRows: number): Float32Array {
  if (n <= maxRows) return x.subarray(0, n * d);
  const step = Math.ceil(n / maxRows);
  const m = Math.ceil(n / step);
  const out = new Float32Array(m * d);
  for (let r = 0; r < m; r++) out.set(x.subarray(r * step * d, (r * step + 1) * d), r * d);
  return out;
}

/**
 * The top k eigenvectors (k × d, by decreasing eigenvalue) of a symmetric d × d matrix given as
 * `times(v, m)` = matrix · each of the m rows of v: subspace iteration on k + 8 vectors with a
 * Rayleigh–Ritz step each round (Halko, Martinsson & Tropp 2011), until the top k Ritz values
 * settle (relative change < 1e-8) or 200 rounds. The extra vectors matter: the eigenvalues of
 * whitened spike waveforms beyond the first few lie close together, and plain power iteration on
 * k vectors leaves the axes mixed, losing directions that separate small units.
 */
export function principalAxes(
  d: number,
  k: number,
  seed: number,
  times: (v: Float64Array, m: number) => Float64Array,
  { rotate, orthonormalize }: AxesSteps = plainSteps,
): Float64Array {
  const m = Math.min(d, k + 8);
  const rng = createRng(seed);
  let v: Float64Array = Float64Array.from({ length: m * d }, () => rng.normal());
  orthonormalize(v, m, d);
  let previous = new Float64Array(k).fill(NaN);
  for (let round = 0; round < 200; round++) {
    const w = times(v, m);
    const { values, vectors } = ritz(v, w, m, d);
    let settled = true;
    for (let c = 0; c < k; c++) if (!(Math.abs(values[c] - previous[c]) <= 1e-8 * Math.abs(values[0]))) settled = false;
    if (settled) return rotate(vectors, v, k, m, d);
    previous = values.slice(0, k);
    // next subspace: A·v rotated onto the Ritz vectors (keeps the order stable), orthonormalized
    v = rotate(vectors, w, m, m, d);
    orthonormalize(v, m, d);
  }
  return rotate(ritz(v, times(v, m), m, d).vectors, v, k, m, d);
}

/**
 * Rayleigh–Ritz: the eigenpairs of v·A·vᵀ (m × m, w = A·v) by decreasing eigenvalue, the vectors
 * as rows, which rotate v onto the best axes within its span.
 */
function ritz(v: Float64Array, w: Float64Array, m: number, d: number) {
  const b = new Float64Array(m * m);
  for (let p = 0; p < m; p++)
    for (let q = p; q < m; q++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += v[p * d + j] * w[q * d + j] + v[q * d + j] * w[p * d + j];
      b[p * m + q] = b[q * m + p] = s / 2;
    }
  const { values, vectors } = symmetricEigen({ data: b, rows: m, cols: m });
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => values[j] - values[i]);
  return {
    values: Float64Array.from(order, (i) => values[i]),
    vectors: Float64Array.from({ length: m * m }, (_, e) => vectors[(e % m) * m + order[Math.floor(e / m)]]),
  };
}

/** principalAxes' two steps on d-long rows: plain TypeScript, or the Wasm kernels with the same bits. */
export interface AxesSteps {
  rotate: (u: Float64Array, v: Float64Array, rows: number, m: number, d: number) => Float64Array;
  orthonormalize: (w: Float64Array, k: number, d: number) => void;
}
const plainSteps: AxesSteps = { rotate, orthonormalize };

/**
 * The steps in Wasm: `columnsTimes` (u · v, each entry summed over p in order, as `rotate`) and
 * `orthonormalizeRows` (the same dot products in order, the subtractions two lanes at a time).
 */
export function wasmSteps(): AxesSteps {
  const { exports: kernels, heap } = spikeSortKernels.get();
  return {
    rotate: (u, v, rows, m, d) =>
      heap.scoped(() => {
        const pOut = heap.alloc(rows * d * 8);
        kernels.columnsTimes(heap.put(v.subarray(0, m * d)), m, d, heap.put(u.subarray(0, rows * m)), rows, pOut);
        return heap.f64(pOut, rows * d).slice();
      }),
    orthonormalize: (w, k, d) =>
      heap.scoped(() => {
        const pW = heap.put(w.subarray(0, k * d));
        kernels.orthonormalizeRows(pW, k, d);
        w.set(heap.f64(pW, k * d));
      }),
  };
}

/** The first `rows` rows of u (· × m) times v (m × d). */
function rotate(u: Float64Array, v: Float64Array, rows: number, m: number, d: number): Float64Array {
  const out = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++)
    for (let p = 0; p < m; p++) {
      const c = u[r * m + p];
      for (let j = 0; j < d; j++) out[r * d + j] += c * v[p * d + j];
    }
  return out;
}

/** Rows the sorter fits PCA axes to, at most (evenly spaced): the covariance costs n·d². */
export const PCA_ROWS = 3000;

/** The mean of n rows of d values. */
export function rowMean(x: Float32Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, n);
  return mean;
}

/**
 * Features: (x − mean) · componentsᵀ, rows × k, float32 (Wasm, f32x4; `projectPcaReference` is the
 * plain version). `x` has the dimension the axes were fitted in.
 *
 * @example
 * const features = projectPca(pca, { data: waveforms, rows: spikes, cols: pca.d }); // features.cols === pca.k
 */
export function projectPca(pca: Pca, x: Matrix<Float32Array>): Matrix<Float32Array> {
  const { mean, components, k, d } = pca;
  const { data, rows: n } = pcaInput(pca, x);
  const out = new Float32Array(n * k);
  if (n === 0) return { data: out, rows: 0, cols: k };
  const bias = Float32Array.from({ length: k }, (_, c) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += mean[j] * components[c * d + j];
    return s;
  });
  const { exports: w, heap } = spikeSortKernels.get();
  heap.scoped(() => {
    const pComp = heap.put(Float32Array.from(components)),
      pBias = heap.put(bias);
    for (let i0 = 0; i0 < n; i0 += BLOCK)
      heap.scoped(() => {
        const rows = Math.min(BLOCK, n - i0);
        const pX = heap.put(data.subarray(i0 * d, (i0 + rows) * d));
        const pOut = heap.alloc(rows * k * 4);
        w.projectFeatures(pX, rows, d, pComp, k, pBias, pOut);
        out.set(heap.f32(pOut, rows * k), i0 * k);
      });
  });
  return { data: out, rows: n, cols: k };
}

/** `x` checked to have the dimension the axes of `pca` were fitted in. */
export function pcaInput(pca: Pca, x: Matrix<Float32Array>): Matrix<Float32Array> {
  const m = pointsMatrix(x);
  if (m.cols !== pca.d) throw new ParameterError('x', `${pca.d} columns (the dimension of the PCA axes)`, m.cols);
  return m;
}

/**
 * The covariance sums (d × d, float64, not divided by the count) of the float32 rows of `x`
 * (points × d) about `mean` (Wasm; `covarianceReference` is the plain version).
 *
 * @example
 * const sums = covariance({ data: waveforms, rows: spikes, cols: 360 }, mean); // 360 × 360
 */
export function covariance(x: Matrix<Float32Array>, mean: Float64Array): Float64Array {
  const { data, rows, cols } = covarianceInput(x, mean);
  return covarianceOf(data, rows, cols, mean);
}

/** `x` and `mean` checked for `covariance` and `covarianceReference`. */
export function covarianceInput(x: Matrix<Float32Array>, mean: Float64Array): Matrix<Float32Array> {
  const m = pointsMatrix(x);
  if (!(mean instanceof Float64Array) || mean.length !== m.cols) {
    throw new ParameterError('mean', `a Float64Array of ${m.cols} values (one per column of x)`, mean);
  }
  return m;
}

function covarianceOf(x: Float32Array, n: number, d: number, mean: Float64Array): Float64Array {
  const { exports: w, heap } = spikeSortKernels.get();
  const cov = heap.scoped(() => {
    const pCov = heap.alloc(d * d * 8);
    heap.f64(pCov, d * d).fill(0);
    const pMean = heap.put(mean),
      pRow = heap.alloc(4 * d * 8); // four centred rows (the kernel's scratch)
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
