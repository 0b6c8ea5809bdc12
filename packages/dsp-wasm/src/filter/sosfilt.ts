import {
  ParameterError,
  checkBackend,
  type Backend,
  type FloatArray,
  type Matrix,
  type MatrixInput,
} from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { checkOptionNames } from '@spyglass-wasm/core';
import { type PrecisionOption, checkPrecision, resolvePrecision } from './precision.js';
import { type Precision, checkSos } from './sos.js';
import { withSosSession } from './sos-session.js';

export interface SosfiltOptions {
  /** Initial state, nsec × channels × 2 (see sosfiltZi); zeros by default. */
  zi?: ArrayLike<number>;
  backend?: Backend;
  /**
   * Arithmetic: 'auto' (default) takes float32 for Float32Array data when the design and the data
   * allow it within 6e-5 of the output's RMS, else float64 (scipy's); or force 'float64' /
   * 'float32' (Float32Array data only).
   */
  precision?: PrecisionOption;
}

const SOSFILT_OPTIONS = ['zi', 'backend', 'precision'] as const;

/**
 * Filters along time with cascaded second-order sections, like `scipy.signal.sosfilt(sos, x,
 * axis=0)`, on (time × channels) data; returns the input's kind and dtype. Float32Array data are
 * filtered in float32 arithmetic when that is accurate enough (see `precision`).
 *
 * @example
 * const sos = butter(4, [300, 6000], { btype: 'bandpass', fs: 30000 });
 * const y = sosfilt(sos, { data: samples, rows: n, cols: 4 }); // Matrix in, Matrix out
 */
export function sosfilt<T extends FloatArray>(sos: ArrayLike<number>, x: T, options?: SosfiltOptions): T;
export function sosfilt<T extends FloatArray>(
  sos: ArrayLike<number>,
  x: MatrixInput<T>,
  options?: SosfiltOptions,
): Matrix<T>;
export function sosfilt<T extends FloatArray>(
  sos: ArrayLike<number>,
  x: MatrixInput<T>,
  options: SosfiltOptions = {},
): T | Matrix<T> {
  checkOptionNames('sosfilt', options, SOSFILT_OPTIONS);
  checkSos(sos);
  const { m } = signalIO(x);
  const precision = resolvePrecision(checkPrecision(options.precision), sos, m, (p, start, rows) => {
    const slice = { data: m.data.subarray(start * m.cols, (start + rows) * m.cols), rows, cols: m.cols };
    const zi = start === 0 ? options.zi : undefined; // the edge trial starts as the call does
    return (sosfiltWithState(sos, slice, { zi, backend: options.backend, precision: p }).y as Matrix<T>).data;
  });
  return sosfiltWithState(sos, x, { zi: options.zi, backend: options.backend, precision }).y;
}

/**
 * sosfilt that also returns the final state zf (nsec × channels × 2), like scipy's
 * `sosfilt(sos, x, zi=zi)` returning `(y, zf)`. Computes in float64 unless `precision: 'float32'`
 * (its callers, such as SosFilter, chain chunks and need the same arithmetic in every chunk).
 *
 * @example
 * const first = sosfiltWithState(sos, chunk1, { zi: ziForChannels(sosfiltZi(sos), chunk1.subarray(0, 1)) });
 * const next = sosfiltWithState(sos, chunk2, { zi: first.zf }); // continues where chunk1 ended
 */
export function sosfiltWithState<T extends FloatArray>(
  sos: ArrayLike<number>,
  x: MatrixInput<T>,
  options: { zi?: ArrayLike<number>; backend?: Backend; precision?: Precision } = {},
): { y: T | Matrix<T>; zf: Float64Array } {
  checkOptionNames('sosfiltWithState', options, ['zi', 'backend', 'precision']);
  const { zi } = options;
  const nsec = checkSos(sos);
  const { m, wrap } = signalIO(x);
  if (zi !== undefined && zi.length !== nsec * m.cols * 2) {
    throw new ParameterError('zi', `nsec × channels × 2 = ${nsec * m.cols * 2} values`, zi);
  }
  const precision = checkPrecision(options.precision ?? 'float64');
  if (precision === 'auto')
    throw new ParameterError('precision', "'float64' or 'float32' (a stream keeps one arithmetic)", precision);
  const { rows, cols } = m;
  const out = new (m.data.constructor as { new (k: number): T })(rows * cols);
  return withSosSession(checkBackend(options.backend), precision, m.data, sos, rows, cols, (s) => {
    if (zi) s.setState(zi);
    // A block at a time: copied in, filtered and copied out while it is in cache.
    for (let r0 = 0; r0 < rows; r0 += s.blockRows) {
      const n = Math.min(s.blockRows, rows - r0);
      s.data.set(m.data.subarray(r0 * cols, (r0 + n) * cols));
      s.filter(false, n);
      out.set(s.data.subarray(0, n * cols), r0 * cols);
    }
    return { y: wrap(out, rows), zf: s.getState() };
  });
}
