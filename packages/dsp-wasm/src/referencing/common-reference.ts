import {
  ParameterError,
  allocLike,
  checkChoice,
  type FloatArray,
  type Matrix,
  type MatrixInput,
} from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { medianInPlace } from '@spyglass-wasm/core';

export interface CommonReferenceOptions {
  /** 'median' (default, SpikeInterface's common_reference; robust to one spiking channel) or 'mean'. */
  method?: 'median' | 'mean';
  /** Channels (column indices) the reference is computed from; default all. */
  channels?: readonly number[];
  /** Channels left out of the reference (e.g. dead or noisy ones); they are still re-referenced. */
  exclude?: readonly number[];
}

/**
 * Common average / median reference: subtracts, at every sample, the mean or median across the
 * reference channels from every channel (time × channels in, same kind out). NaN samples are left
 * out of the reference (numpy nanmedian / nanmean) and stay NaN in the output.
 *
 * @example
 * const referenced = commonReference(raw, { method: 'median', exclude: [7] });
 */
export function commonReference<T extends FloatArray>(x: T, options?: CommonReferenceOptions): T;
export function commonReference<T extends FloatArray>(x: MatrixInput<T>, options?: CommonReferenceOptions): Matrix<T>;
export function commonReference<T extends FloatArray>(
  x: MatrixInput<T>,
  options: CommonReferenceOptions = {},
): T | Matrix<T> {
  const { m, wrap } = signalIO(x);
  const method = checkChoice('method', options.method ?? 'median', ['median', 'mean'] as const);
  const checkList = (name: string, list: readonly number[]) => {
    if (list.some((c) => !Number.isInteger(c) || c < 0 || c >= m.cols))
      throw new ParameterError(name, `column indices in [0, ${m.cols})`, list);
  };
  checkList('channels', options.channels ?? []);
  checkList('exclude', options.exclude ?? []);
  const exclude = new Set(options.exclude ?? []);
  const chans = (options.channels ?? Array.from({ length: m.cols }, (_, i) => i)).filter((c) => !exclude.has(c));
  if (chans.length === 0)
    throw new ParameterError('channels', 'at least one reference channel after exclusions', options.channels ?? 'all');
  const out = allocLike(m.data, m.rows, m.cols);
  const row = new Float64Array(chans.length);
  for (let r = 0; r < m.rows; r++) {
    const base = r * m.cols;
    let n = 0,
      sum = 0;
    for (let k = 0; k < chans.length; k++) {
      const v = m.data[base + chans[k]];
      if (Number.isNaN(v)) continue;
      row[n++] = v;
      sum += v;
    }
    const ref = n === 0 ? NaN : method === 'mean' ? sum / n : medianInPlace(row, n);
    for (let c = 0; c < m.cols; c++) out.data[base + c] = m.data[base + c] - ref;
  }
  return wrap(out.data, m.rows);
}

/**
 * The contract's name for commonReference.
 * @alias
 */
export const commonAverageReference = commonReference;
