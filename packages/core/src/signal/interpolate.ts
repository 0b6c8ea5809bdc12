import { ParameterError } from '../errors/parameter-error.js';

export interface InterpolateOptions {
  /** Beyond the sample times: hold the end values (default, as numpy.interp) or give NaN. */
  outside?: 'hold' | 'nan';
}

/**
 * Linear interpolation over times of a series with `cols` values per sample (row-major), onto
 * `at`: numpy.interp for each column. `times` increase; `at` may be in any order.
 *
 * @example
 * interpolate([0, 1], [0, 10], [0.25]);                       // Float64Array [2.5]
 * interpolate([0, 1], [0, 0, 10, 20], [0.5], { cols: 2 });    // Float64Array [5, 10]
 */
export function interpolate(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  at: ArrayLike<number>,
  options: InterpolateOptions & { cols?: number } = {},
): Float64Array {
  const cols = options.cols ?? 1;
  const n = times.length;
  if (n === 0 || values.length !== n * cols)
    throw new ParameterError('values', `${cols} value(s) for each of ${n} times`, `${values.length} values`);
  const nan = options.outside === 'nan';
  const out = new Float64Array(at.length * cols);
  let j = 0;
  for (let i = 0; i < at.length; i++) {
    const t = at[i];
    const o = i * cols;
    if (!(t >= times[0] && t <= times[n - 1])) {
      const edge = t < times[0] ? 0 : n - 1;
      for (let c = 0; c < cols; c++) out[o + c] = nan || Number.isNaN(t) ? NaN : values[edge * cols + c];
      continue;
    }
    if (t < times[j]) j = 0;
    while (j < n - 2 && times[j + 1] < t) j++;
    const k = Math.min(j + 1, n - 1);
    const f = times[k] > times[j] ? (t - times[j]) / (times[k] - times[j]) : 0;
    for (let c = 0; c < cols; c++) {
      const a = values[j * cols + c],
        b = values[k * cols + c];
      out[o + c] = a + f * (b - a);
    }
  }
  return out;
}
