import { ParameterError, allocLike, checkChoice, type FloatArray, type Matrix, type MatrixInput } from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { median } from '../lib/median.js';

export interface CommonReferenceOptions {
  /** 'median' (default, robust to one spiking channel) or 'mean'. */
  method?: 'median' | 'mean';
  /** Channels (column indices) the reference is computed from; default all. */
  channels?: readonly number[];
}

/**
 * Common average / median reference: subtracts, at every sample, the mean or median across the
 * reference channels from every channel (time × channels in, same kind out).
 *
 * @example
 * const referenced = commonReference(raw, { method: 'median' });
 */
export function commonReference<T extends FloatArray>(x: T, options?: CommonReferenceOptions): T;
export function commonReference<T extends FloatArray>(x: MatrixInput<T>, options?: CommonReferenceOptions): Matrix<T>;
export function commonReference<T extends FloatArray>(x: MatrixInput<T>, options: CommonReferenceOptions = {}): T | Matrix<T> {
  const { m, wrap } = signalIO(x);
  const method = checkChoice('method', options.method ?? 'median', ['median', 'mean'] as const);
  const chans = options.channels ?? Array.from({ length: m.cols }, (_, i) => i);
  if (chans.length === 0 || chans.some((c) => !Number.isInteger(c) || c < 0 || c >= m.cols)) {
    throw new ParameterError('channels', `column indices in [0, ${m.cols})`, chans);
  }
  const out = allocLike(m.data, m.rows, m.cols);
  const row = new Float64Array(chans.length);
  for (let r = 0; r < m.rows; r++) {
    const base = r * m.cols;
    for (let k = 0; k < chans.length; k++) row[k] = m.data[base + chans[k]];
    const ref = method === 'mean' ? row.reduce((a, b) => a + b, 0) / row.length : median(row);
    for (let c = 0; c < m.cols; c++) out.data[base + c] = m.data[base + c] - ref;
  }
  return wrap(out.data, m.rows);
}
