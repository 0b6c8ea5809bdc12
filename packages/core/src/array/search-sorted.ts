/**
 * First index `i` in `[0, length)` with `values[i] >= v` in ascending values (numpy.searchsorted,
 * side 'left'); `length` when every value is below `v`. `values` may be an array or a function of
 * the index, for values computed on demand (a series' clock).
 *
 * @example
 * searchSorted(Float64Array.of(0, 1, 1, 2), 1); // 1
 * searchSorted((i) => i / 30000, 0.5, 30000 * 60); // 15000
 */
export function searchSorted(
  values: ArrayLike<number> | ((i: number) => number),
  v: number,
  length = typeof values === 'function' ? NaN : values.length,
): number {
  if (!(length >= 0)) throw new RangeError('searchSorted: a function of the index needs its length');
  const at = typeof values === 'function' ? values : (i: number) => values[i];
  let lo = 0,
    hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(mid) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
