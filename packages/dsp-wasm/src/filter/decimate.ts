import { checkChoice, checkNumber, type FloatArray, type Matrix, type MatrixInput } from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { cheby1 } from './butter.js';
import { firFilter } from './fir-filter.js';
import { firwin } from './firwin.js';
import { checkOptionNames } from '@spyglass-wasm/core';
import { sosfilt } from './sosfilt.js';
import { sosfiltfiltEvery } from './sosfiltfilt.js';

export interface DecimateOptions {
  /** 'iir' (Chebyshev I, order 8, default) or 'fir' (Hamming window, 20·q + 1 taps). */
  ftype?: 'iir' | 'fir';
  /** Filter order (iir) or taps − 1 (fir). */
  n?: number;
  /** Filter forward and backward / remove the FIR delay (default true). */
  zeroPhase?: boolean;
}

/**
 * Downsamples by an integer factor after an anti-aliasing filter, like
 * `scipy.signal.decimate(x, q, n, ftype, axis=0, zero_phase)`.
 *
 * @example
 * const lfp1k = decimate(lfp10k, 10);
 */
export function decimate<T extends FloatArray>(x: T, q: number, options?: DecimateOptions): T;
export function decimate<T extends FloatArray>(x: MatrixInput<T>, q: number, options?: DecimateOptions): Matrix<T>;
export function decimate<T extends FloatArray>(
  x: MatrixInput<T>,
  q: number,
  options: DecimateOptions = {},
): T | Matrix<T> {
  checkOptionNames('decimate', options, ['ftype', 'n', 'zeroPhase']);
  checkNumber('q', q, { min: 1, integer: true });
  const ftype = checkChoice('ftype', options.ftype ?? 'iir', ['iir', 'fir'] as const);
  const zeroPhase = options.zeroPhase ?? true;
  const { m, wrap } = signalIO(x);
  if (ftype === 'fir') {
    const n = checkNumber('n', options.n ?? 20 * q, { min: 2, integer: true });
    const taps = firwin(n + 1, 1 / q, { window: 'hamming' });
    if (zeroPhase && taps.length % 2 === 1)
      return wrap(firFilter(taps, m, { decimate: q }).data, Math.ceil(m.rows / q));
    const y = firFilter(taps, m, { zeroPhase: false, decimate: q });
    return wrap(y.data, y.rows);
  }
  const n = checkNumber('n', options.n ?? 8, { min: 1, integer: true });
  const sos = cheby1(n, 0.05, 0.8 / q);
  const rows = Math.ceil(m.rows / q);
  if (zeroPhase) return wrap(sosfiltfiltEvery(sos, m, {}, q), rows);
  const y = sosfilt(sos, m);
  const out = new (m.data.constructor as { new (k: number): T })(rows * m.cols);
  for (let r = 0; r < rows; r++) out.set(y.data.subarray(r * q * m.cols, (r * q + 1) * m.cols), r * m.cols);
  return wrap(out, rows);
}
