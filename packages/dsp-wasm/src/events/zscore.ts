/**
 * (x − mean) / std with the population std (ddof 0), NaN samples ignored in the statistics and
 * kept as NaN, like `scipy.stats.zscore(x, nan_policy='omit')`. `mask` limits the samples the
 * statistics come from (e.g. only while the animal is still).
 */
export function zscore(x: ArrayLike<number>, mask?: ArrayLike<boolean>): Float64Array {
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
