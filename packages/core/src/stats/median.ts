/**
 * The one median of the project: numpy's (the mean of the two middle values for an even count).
 * Every package takes its median, in-place median and median time step from here, so that, for
 * example, gap detection reads the same sampling step everywhere.
 */
import { checkNumber } from '../params/check.js';
import { checkOptionNames } from '../params/options.js';
import { ParameterError } from '../errors/parameter-error.js';

/**
 * Median of the values (sorts a copy; NaN sorts last, as numpy's, so it propagates only if in the middle). Returns NaN
 * for none.
 */
export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Median step of increasing sample times, from at most `maxSteps` evenly spread steps (default
 * 100 000: hours of timestamps need no full sort; `Infinity` takes every step, np.median(np.diff(t))).
 * NaN for fewer than two times.
 *
 * @example
 * medianStep([0, 0.001, 0.002, 0.004]); // 0.001
 * medianStep(frameTimes, { maxSteps: Infinity }); // every step
 */
export function medianStep(time: ArrayLike<number>, options: { maxSteps?: number } = {}): number {
  checkOptionNames('medianStep', options, ['maxSteps']);
  const maxSteps = options.maxSteps ?? 100_000;
  if (maxSteps !== Infinity) checkNumber('maxSteps', maxSteps, { min: 1, integer: true });
  if (time.length < 2) return NaN;
  const n = Math.min(time.length - 1, maxSteps),
    stride = (time.length - 1) / n;
  const steps = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = 1 + Math.floor(k * stride);
    steps[k] = time[i] - time[i - 1];
  }
  return median(steps);
}

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
    let i = left,
      j = right;
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

/**
 * Median ignoring NaN (numpy.nanmedian) of values; `scratch` (≥ values.length), when given, is the
 * workspace, so a loop over many columns allocates nothing.
 *
 * @example
 * nanMedian([3, NaN, 1, 2]); // 2
 */
export function nanMedian(values: ArrayLike<number>, options: { scratch?: Float64Array } = {}): number {
  checkOptionNames('nanMedian', options, ['scratch']);
  const scratch = options.scratch ?? new Float64Array(values.length);
  if (scratch.length < values.length)
    throw new ParameterError('scratch', `a Float64Array of at least ${values.length} values`, scratch);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) scratch[n++] = values[i];
  return medianInPlace(scratch, n);
}
