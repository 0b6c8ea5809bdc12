import {
  ParameterError,
  allocLike,
  checkNumber,
  type FloatArray,
  type Matrix,
  type MatrixInput,
} from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { symmetricEigen } from '@spyglass-wasm/core';
import { dspKernels } from '../wasm/kernels.js';

export interface WhitenOptions {
  /** Regularisation added to the eigenvalues, relative to their mean (default 1e-8). */
  epsilon?: number;
  /** A whitening matrix to apply instead of computing one (channels × channels). */
  W?: Float64Array;
  /** Channel means to remove (default: computed). */
  mean?: Float64Array;
  /** Channel covariance (channels × channels) to whiten with instead of the data's own. */
  covariance?: Float64Array;
}

/** A whitened group (the input's kind), and the matrix and means that whitened it (to apply to later chunks). */
export interface Whitened<Y> {
  y: Y;
  W: Float64Array;
  mean: Float64Array;
}

/**
 * ZCA whitening of a channel group (time × channels): y = (x − mean) · W with
 * W = U · diag(1/√(λ + ε)) · Uᵀ from the channel covariance, so noise shared across channels is
 * removed and each channel keeps its identity (as SpikeInterface's whiten and MountainSort).
 * ε is relative to the mean eigenvalue, so the result does not depend on the data's units.
 * Rows with a NaN are left out of the mean and covariance and come out NaN.
 *
 * @example
 * const { y, W, mean } = whiten(tetrode);
 * const next = whiten(nextChunk, { W, mean }).y; // same transform on later data
 */
export function whiten<T extends FloatArray>(x: T, options?: WhitenOptions): Whitened<T>;
export function whiten<T extends FloatArray>(x: MatrixInput<T>, options?: WhitenOptions): Whitened<Matrix<T>>;
export function whiten<T extends FloatArray>(x: MatrixInput<T>, options: WhitenOptions = {}): Whitened<T | Matrix<T>> {
  const { m, wrap } = signalIO(x);
  const n = m.cols;
  const mean = options.mean ?? channelMeans(m);
  if (mean.length !== n) throw new ParameterError('mean', `${n} channel means`, mean);
  let W = options.W;
  if (W) {
    if (W.length !== n * n) throw new ParameterError('W', `a ${n} × ${n} matrix`, W);
  } else {
    let cov = options.covariance;
    if (cov) {
      if (cov.length !== n * n) throw new ParameterError('covariance', `a ${n} × ${n} matrix`, cov);
    } else {
      cov = new Float64Array(n * n);
      const used =
        m.data instanceof Float32Array
          ? covarianceF32(m.data, m.rows, n, mean, cov)
          : covarianceAny(m.data, m.rows, n, mean, cov);
      if (used < 2) throw new ParameterError('x', 'at least 2 finite samples to estimate a covariance', used);
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) cov[j * n + i] = cov[i * n + j] /= used;
    }
    const { values, vectors } = symmetricEigen({ data: cov, rows: n, cols: n });
    if (!(values.reduce((a, b) => a + b, 0) > 0))
      throw new ParameterError('x', 'channels with nonzero variance to whiten', 'a constant group');
    const eps = checkNumber('epsilon', options.epsilon ?? 1e-8, { min: 0 }) * (values.reduce((a, b) => a + b, 0) / n);
    W = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++)
          s += (vectors[i * n + k] * vectors[j * n + k]) / Math.sqrt(Math.max(values[k], 0) + eps);
        W[i * n + j] = s;
      }
  }
  const y = allocLike(m.data, m.rows, n);
  if (m.data instanceof Float32Array && y.data instanceof Float32Array) applyF32(m.data, y.data, m.rows, n, mean, W);
  else applyAny(m.data, y.data, m.rows, n, mean, W);
  return { y: wrap(y.data, m.rows), W, mean };
}

// The loops below come twice, once typed Float32Array (the sorters' data): V8 then compiles the
// element accesses for one array kind instead of a slow path for several. Same arithmetic in both.

/** y[r] = (x[r] − mean) · W for every row (more than 4 channels: in Wasm, applyAny's sums to the bit). */
function applyF32(x: Float32Array, y: Float32Array, rows: number, n: number, mean: Float64Array, W: Float64Array) {
  if (n === 4) return applyF32Tetrode(x, y, rows, mean, W);
  const { exports, heap } = dspKernels.get();
  heap.scoped(() => {
    const block = blockRows(n);
    const pMean = heap.put(mean),
      pW = heap.put(W),
      pD = heap.alloc(8 * n),
      pX = heap.alloc(4 * block * n),
      pY = heap.alloc(4 * block * n);
    for (let r = 0; r < rows; r += block) {
      const count = Math.min(block, rows - r);
      heap.f32(pX, count * n).set(x.subarray(r * n, (r + count) * n));
      exports.whitenRowsF32(pX, count, n, pMean, pW, pD, pY);
      y.set(heap.f32(pY, count * n), r * n);
    }
  });
}

/** Rows of n channels whitened per Wasm call: about 256 KiB of f32 samples, the block's copies stay in cache. */
function blockRows(n: number): number {
  return Math.max(1, Math.floor(2 ** 16 / n));
}

/**
 * applyF32 for 4 channels (tetrodes), unrolled with W in locals: each sum still adds its four
 * products in channel order.
 */
function applyF32Tetrode(x: Float32Array, y: Float32Array, rows: number, mean: Float64Array, W: Float64Array) {
  const [m0, m1, m2, m3] = mean;
  const [w00, w01, w02, w03, w10, w11, w12, w13, w20, w21, w22, w23, w30, w31, w32, w33] = W;
  for (let o = 0, n = 4 * rows; o < n; o += 4) {
    const a = x[o] - m0,
      b = x[o + 1] - m1,
      c = x[o + 2] - m2,
      d = x[o + 3] - m3;
    y[o] = 0 + a * w00 + b * w10 + c * w20 + d * w30;
    y[o + 1] = 0 + a * w01 + b * w11 + c * w21 + d * w31;
    y[o + 2] = 0 + a * w02 + b * w12 + c * w22 + d * w32;
    y[o + 3] = 0 + a * w03 + b * w13 + c * w23 + d * w33;
  }
}

function applyAny(x: FloatArray, y: FloatArray, rows: number, n: number, mean: Float64Array, W: Float64Array) {
  const row = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) row[i] = x[r * n + i] - mean[i];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += row[i] * W[i * n + j];
      y[r * n + j] = s;
    }
  }
}

/** Upper triangle of Σ (x − mean)ᵀ(x − mean) over finite rows into cov; returns the rows used. */
function covarianceF32(x: Float32Array, rows: number, n: number, mean: Float64Array, cov: Float64Array): number {
  if (n === 4) return covarianceF32Tetrode(x, rows, mean, cov);
  // in Wasm (covarianceAny's sums to the bit), a block of rows at a time
  const { exports, heap } = dspKernels.get();
  return heap.scoped(() => {
    const block = blockRows(n);
    const pMean = heap.put(mean),
      pD = heap.alloc(8 * n),
      pCov = heap.put(cov),
      pX = heap.alloc(4 * block * n);
    let used = 0;
    for (let r = 0; r < rows; r += block) {
      const count = Math.min(block, rows - r);
      heap.f32(pX, count * n).set(x.subarray(r * n, (r + count) * n));
      used += exports.covarianceRowsF32(pX, count, n, pMean, pD, pCov);
    }
    cov.set(heap.f64(pCov, n * n));
    return used;
  });
}

/** covarianceF32 for 4 channels: the ten sums in locals, each added to row by row as before. */
function covarianceF32Tetrode(x: Float32Array, rows: number, mean: Float64Array, cov: Float64Array): number {
  const [m0, m1, m2, m3] = mean;
  let used = 0,
    s00 = cov[0],
    s01 = cov[1],
    s02 = cov[2],
    s03 = cov[3],
    s11 = cov[5],
    s12 = cov[6],
    s13 = cov[7],
    s22 = cov[10],
    s23 = cov[11],
    s33 = cov[15];
  for (let r = 0, o = 0; r < rows; r++, o += 4) {
    const v0 = x[o],
      v1 = x[o + 1],
      v2 = x[o + 2],
      v3 = x[o + 3];
    if (!(Number.isFinite(v0) && Number.isFinite(v1) && Number.isFinite(v2) && Number.isFinite(v3))) continue;
    used++;
    const a = v0 - m0,
      b = v1 - m1,
      c = v2 - m2,
      d = v3 - m3;
    s00 += a * a;
    s01 += a * b;
    s02 += a * c;
    s03 += a * d;
    s11 += b * b;
    s12 += b * c;
    s13 += b * d;
    s22 += c * c;
    s23 += c * d;
    s33 += d * d;
  }
  [cov[0], cov[1], cov[2], cov[3], cov[5], cov[6], cov[7], cov[10], cov[11], cov[15]] = [
    s00,
    s01,
    s02,
    s03,
    s11,
    s12,
    s13,
    s22,
    s23,
    s33,
  ];
  return used;
}

function covarianceAny(x: FloatArray, rows: number, n: number, mean: Float64Array, cov: Float64Array): number {
  let used = 0;
  for (let r = 0; r < rows; r++) {
    let finite = true;
    for (let c = 0; c < n; c++) if (!Number.isFinite(x[r * n + c])) finite = false;
    if (!finite) continue;
    used++;
    for (let i = 0; i < n; i++) {
      const xi = x[r * n + i] - mean[i];
      for (let j = i; j < n; j++) cov[i * n + j] += xi * (x[r * n + j] - mean[j]);
    }
  }
  return used;
}

function finiteRow(m: Matrix<FloatArray>, r: number): boolean {
  for (let c = 0; c < m.cols; c++) if (!Number.isFinite(m.data[r * m.cols + c])) return false;
  return true;
}

function channelMeans(m: Matrix<FloatArray>): Float64Array {
  if (m.cols === 4 && m.data instanceof Float32Array) return tetrodeMeans(m.data, m.rows);
  const mean = new Float64Array(m.cols);
  let used = 0;
  for (let r = 0; r < m.rows; r++) {
    if (!finiteRow(m, r)) continue;
    used++;
    for (let c = 0; c < m.cols; c++) mean[c] += m.data[r * m.cols + c];
  }
  return mean.map((s) => s / used);
}

/** channelMeans of 4 Float32 channels: each sum in row order, as there. */
function tetrodeMeans(x: Float32Array, rows: number): Float64Array {
  let used = 0,
    s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  for (let o = 0; o < 4 * rows; o += 4) {
    const v0 = x[o],
      v1 = x[o + 1],
      v2 = x[o + 2],
      v3 = x[o + 3];
    if (!(Number.isFinite(v0) && Number.isFinite(v1) && Number.isFinite(v2) && Number.isFinite(v3))) continue;
    used++;
    s0 += v0;
    s1 += v1;
    s2 += v2;
    s3 += v3;
  }
  return Float64Array.of(s0 / used, s1 / used, s2 / used, s3 / used);
}
