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

/** y[r] = (x[r] − mean) · W for every row. */
function applyF32(x: Float32Array, y: Float32Array, rows: number, n: number, mean: Float64Array, W: Float64Array) {
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
  const mean = new Float64Array(m.cols);
  let used = 0;
  for (let r = 0; r < m.rows; r++) {
    if (!finiteRow(m, r)) continue;
    used++;
    for (let c = 0; c < m.cols; c++) mean[c] += m.data[r * m.cols + c];
  }
  return mean.map((s) => s / used);
}
