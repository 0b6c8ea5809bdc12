/**
 * Median of buf[0..n) by quickselect, in place (reorders buf; no allocation). NaN must already
 * be removed. Returns NaN for n = 0.
 */
export function medianInPlace(buf: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const h = n >> 1;
  const hi = select(buf, 0, n - 1, h);
  if (n % 2) return hi;
  let lo = -Infinity; // the largest value below position h
  for (let i = 0; i < h; i++) if (buf[i] > lo) lo = buf[i];
  return (lo + hi) / 2;
}

function select(a: Float64Array, left: number, right: number, k: number): number {
  while (right > left) {
    const pivot = a[(left + right) >> 1];
    let i = left, j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k];
  }
  return a[k];
}

/** Median ignoring NaN (numpy.nanmedian) of values, using `scratch` (≥ values.length) as workspace. */
export function nanMedian(values: ArrayLike<number>, scratch = new Float64Array(values.length)): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) scratch[n++] = values[i];
  return medianInPlace(scratch, n);
}
