import {
  checkBackend,
  checkOptionNames,
  type Backend,
  type FloatArray,
  type Matrix,
  type MatrixInput,
  atan2,
  hypot,
} from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { transform } from './fft.js';

/** Where the FFTs of hilbert, envelope and instantaneousPhase run: 'wasm' (default) or 'reference'. */
export interface AnalyticOptions {
  backend?: Backend;
}

/** An analytic signal: real and imaginary parts, each rows × cols (row-major) float64. */
export interface AnalyticSignal {
  re: Float64Array;
  im: Float64Array;
  rows: number;
  cols: number;
}

/**
 * Analytic signal of each channel along time, like `scipy.signal.hilbert(x, axis=0)`: FFT of the
 * whole length (any length), negative frequencies zeroed, positive ones doubled, inverse FFT.
 * Two real channels share one complex FFT.
 *
 * @example
 * const { re, im } = hilbert(rippleBand);
 * const amplitude = envelope(rippleBand); // |analytic signal|
 */
export function hilbert<T extends FloatArray>(x: MatrixInput<T>, options: AnalyticOptions = {}): AnalyticSignal {
  checkOptionNames('hilbert', options, ['backend']);
  const backend = checkBackend(options.backend);
  const { m } = signalIO(x);
  const { rows: n, cols } = m;
  const re = new Float64Array(n * cols);
  const im = new Float64Array(n * cols);
  const buf = new Float64Array(2 * n);
  for (let a = 0; a < cols; a += 2) {
    const b = a + 1 < cols ? a + 1 : -1;
    for (let t = 0; t < n; t++) {
      buf[2 * t] = m.data[t * cols + a];
      buf[2 * t + 1] = b >= 0 ? m.data[t * cols + b] : 0;
    }
    transform(buf, n, false, backend);
    // Split the packed spectrum Z = A + iB into A and B with the Hilbert weights applied; each
    // analytic signal is complex, so each takes its own inverse FFT.
    const spec = analyticWeights(buf, n);
    transform(spec.a, n, true, backend);
    for (let t = 0; t < n; t++) {
      re[t * cols + a] = spec.a[2 * t] / n;
      im[t * cols + a] = spec.a[2 * t + 1] / n;
    }
    if (b >= 0) {
      transform(spec.b, n, true, backend);
      for (let t = 0; t < n; t++) {
        re[t * cols + b] = spec.b[2 * t] / n;
        im[t * cols + b] = spec.b[2 * t + 1] / n;
      }
    }
  }
  return { re, im, rows: n, cols };
}

/** From the FFT of a + ib (a, b real), the one-sided spectra 2·A⁺ and 2·B⁺ (scipy's weights). */
function analyticWeights(z: Float64Array, n: number): { a: Float64Array; b: Float64Array } {
  const A = new Float64Array(2 * n);
  const B = new Float64Array(2 * n);
  const weight = (k: number) => (k === 0 || (n % 2 === 0 && k === n / 2) ? 1 : k < n / 2 ? 2 : 0);
  for (let k = 0; k < n; k++) {
    const w = weight(k);
    if (w === 0) continue;
    const j = (n - k) % n;
    const zr = z[2 * k],
      zi = z[2 * k + 1],
      cr = z[2 * j],
      ci = -z[2 * j + 1]; // conj(Z[n-k])
    // A[k] = (Z[k] + conj Z[n−k]) / 2, B[k] = (Z[k] − conj Z[n−k]) / 2i
    A[2 * k] = (w * (zr + cr)) / 2;
    A[2 * k + 1] = (w * (zi + ci)) / 2;
    B[2 * k] = (w * (zi - ci)) / 2;
    B[2 * k + 1] = (-w * (zr - cr)) / 2;
  }
  return { a: A, b: B };
}

/** Instantaneous amplitude |hilbert(x)| per channel, the input's kind (float64 data). */
export function envelope<T extends FloatArray>(x: T, options?: AnalyticOptions): Float64Array;
export function envelope<T extends FloatArray>(x: MatrixInput<T>, options?: AnalyticOptions): Matrix<Float64Array>;
export function envelope<T extends FloatArray>(
  x: MatrixInput<T>,
  options: AnalyticOptions = {},
): Float64Array | Matrix<Float64Array> {
  return mapAnalytic(x, options, (re, im) => hypot(re, im));
}

/** Instantaneous phase angle(hilbert(x)) in radians (−π, π], per channel. */
export function instantaneousPhase<T extends FloatArray>(x: T, options?: AnalyticOptions): Float64Array;
export function instantaneousPhase<T extends FloatArray>(
  x: MatrixInput<T>,
  options?: AnalyticOptions,
): Matrix<Float64Array>;
export function instantaneousPhase<T extends FloatArray>(
  x: MatrixInput<T>,
  options: AnalyticOptions = {},
): Float64Array | Matrix<Float64Array> {
  return mapAnalytic(x, options, (re, im) => atan2(im, re));
}

/** f(re, im) of the analytic signal at every sample, returned in the input's kind. */
function mapAnalytic<T extends FloatArray>(
  x: MatrixInput<T>,
  options: AnalyticOptions,
  f: (re: number, im: number) => number,
): Float64Array | Matrix<Float64Array> {
  const h = hilbert(x, options);
  const out = new Float64Array(h.re.length);
  for (let i = 0; i < out.length; i++) out[i] = f(h.re[i], h.im[i]);
  return ArrayBuffer.isView(x) ? out : { data: out, rows: h.rows, cols: h.cols };
}
