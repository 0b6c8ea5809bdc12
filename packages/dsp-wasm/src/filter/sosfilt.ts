import type { FloatArray, Matrix, MatrixInput } from '@spyglass-wasm/core';
import { type Backend, checkBackend } from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { type Precision, checkSos } from './sos.js';
import { withSosSession } from './sos-session.js';
import { ParameterError } from '@spyglass-wasm/core';
import { checkPrecision } from './precision.js';

export interface SosfiltOptions {
  /** Initial state, nsec × channels × 2 (see sosfilt_zi); zeros by default. */
  zi?: ArrayLike<number>;
  backend?: Backend;
  /** Arithmetic: 'float64' (default, as scipy) or 'float32' (Float32Array data only; faster). */
  precision?: Precision;
}

/**
 * Filters along time with cascaded second-order sections, like `scipy.signal.sosfilt(sos, x,
 * axis=0)`, on (time × channels) data. Computes in float64; returns the input's kind and dtype.
 *
 * @example
 * const sos = butter(4, [300, 6000], { btype: 'bandpass', fs: 30000 });
 * const y = sosfilt(sos, { data: samples, rows: n, cols: 4 }); // Matrix in, Matrix out
 */
export function sosfilt<T extends FloatArray>(sos: ArrayLike<number>, x: T, options?: SosfiltOptions): T;
export function sosfilt<T extends FloatArray>(sos: ArrayLike<number>, x: MatrixInput<T>, options?: SosfiltOptions): Matrix<T>;
export function sosfilt<T extends FloatArray>(sos: ArrayLike<number>, x: MatrixInput<T>, options: SosfiltOptions = {}): T | Matrix<T> {
  return sosfiltWithState(sos, x, options.zi, options).y;
}

/**
 * sosfilt that also returns the final state zf (nsec × channels × 2), like scipy's
 * `sosfilt(sos, x, zi=zi)` returning `(y, zf)`.
 */
export function sosfiltWithState<T extends FloatArray>(
  sos: ArrayLike<number>,
  x: MatrixInput<T>,
  zi?: ArrayLike<number>,
  options: { backend?: Backend; precision?: Precision } = {},
): { y: T | Matrix<T>; zf: Float64Array } {
  const nsec = checkSos(sos);
  const { m, wrap } = signalIO(x);
  if (zi !== undefined && zi.length !== nsec * m.cols * 2) {
    throw new ParameterError('zi', `nsec × channels × 2 = ${nsec * m.cols * 2} values`, zi);
  }
  return withSosSession(checkBackend(options.backend), checkPrecision(options.precision), m.data, sos, m.rows, m.cols, (s) => {
    s.data.set(m.data.subarray(0, m.rows * m.cols));
    if (zi) s.setState(zi);
    s.filter(false);
    return { y: wrap(s.data.slice() as T, m.rows), zf: s.getState() };
  });
}
