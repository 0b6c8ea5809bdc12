import { checkOptionNames, ParameterError } from '@spyglass-wasm/core';
import { Moments } from './moments.js';

/**
 * (x − mean) / std with the population std (ddof 0), NaN samples ignored in the statistics and
 * kept as NaN, like `scipy.stats.zscore(x, nan_policy='omit')`; mean and std from exact sums
 * (Moments: within an ulp of the exact values, the same for a trace summed window by window).
 * `mask` (booleans or 0/1) limits the samples the statistics come from (e.g. only while the
 * animal is still).
 *
 * @example
 * const z = zscore(trace, { mask: Array.from(speed, (v) => v < 4) });
 */
export function zscore(x: ArrayLike<number>, options: { mask?: ArrayLike<boolean | number> } = {}): Float64Array {
  checkOptionNames('zscore', options, ['mask']);
  const { mask } = options;
  if (mask && mask.length !== x.length) throw new ParameterError('mask', `${x.length} values (one per sample)`, mask);
  const moments = new Moments();
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && (!mask || mask[i])) moments.add(x[i]);
  const { mean, std } = moments.stats();
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean) / std;
  return out;
}
