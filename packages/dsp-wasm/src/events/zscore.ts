import { checkOptionNames, ParameterError } from '@spyglass-wasm/core';

/**
 * (x − mean) / std with the population std (ddof 0), NaN samples ignored in the statistics and
 * kept as NaN, like `scipy.stats.zscore(x, nan_policy='omit')`. `mask` (booleans or 0/1) limits the samples the
 * statistics come from (e.g. only while the animal is still).
 *
 * @example
 * const z = zscore(trace, { mask: Array.from(speed, (v) => v < 4) });
 */
export function zscore(x: ArrayLike<number>, options: { mask?: ArrayLike<boolean | number> } = {}): Float64Array {
  checkOptionNames('zscore', options, ['mask']);
  const { mask } = options;
  if (mask && mask.length !== x.length) throw new ParameterError('mask', `${x.length} values (one per sample)`, mask);
  let n = 0,
    sum = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || (mask && !mask[i])) continue;
    n++;
    sum += x[i];
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || (mask && !mask[i])) continue;
    ss += (x[i] - mean) ** 2;
  }
  const std = Math.sqrt(ss / n);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean) / std;
  return out;
}
