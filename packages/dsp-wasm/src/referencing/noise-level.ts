import { type FloatArray, type MatrixInput } from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { medianInPlace } from '@spyglass-wasm/core';

/** Columns shorter than this are gathered whole; longer ones go through bracketedMedian. */
const GATHER_ROWS = 65536;
/** Evenly spread rows that bracket a long column's median (sorted: a few ms). */
const SAMPLE = 32768;

/**
 * Robust noise level per channel: median(|x − median(x)|) / 0.6745, the standard deviation of
 * Gaussian noise that spikes barely move (the unit of spike-detection thresholds). NaN samples
 * are ignored (scipy.stats.median_abs_deviation(scale='normal', nan_policy='omit')); an all-NaN
 * channel gives NaN.
 *
 * @example
 * const sigma = madNoiseLevel(filtered); // one value per channel
 */
export function madNoiseLevel<T extends FloatArray>(x: MatrixInput<T>): Float64Array {
  const { m } = signalIO(x);
  const out = new Float64Array(m.cols);
  const scratch = new Float64Array(m.rows);
  for (let c = 0; c < m.cols; c++) {
    const med = columnMedian(m.data, m.rows, m.cols, c, NaN, scratch);
    out[c] = columnMedian(m.data, m.rows, m.cols, c, med, scratch) / 0.6744897501960817;
  }
  return out;
}

/**
 * medianInPlace of column c's non-NaN values (of |x − center| when `center` is not NaN), the same
 * value to the bit: a long column is bracketed from an evenly spread sample, and only the values
 * inside the bracket are selected from (one pass instead of a quickselect over the whole column).
 */
function columnMedian(data: FloatArray, rows: number, cols: number, c: number, center: number, scratch: Float64Array) {
  if (rows >= GATHER_ROWS) {
    const med = bracketedMedian(data, rows, cols, c, center, scratch);
    if (med !== undefined) return med;
  }
  const abs = !Number.isNaN(center);
  let n = 0;
  for (let r = 0, i = c; r < rows; r++, i += cols) {
    const v = data[i];
    if (!Number.isNaN(v)) scratch[n++] = abs ? Math.abs(v - center) : v;
  }
  return medianInPlace(scratch, n);
}

/**
 * The median from the values between two sample quantiles [lo, hi]: the values below and above are
 * only counted, and as many of the larger count as exceed the smaller are stood in for by ∓Infinity
 * (dropping as many values from each end leaves the median where it was). Undefined when the
 * middle rank(s) fall outside the bracket (then the caller gathers the whole column).
 */
function bracketedMedian(
  data: FloatArray,
  rows: number,
  cols: number,
  c: number,
  center: number,
  scratch: Float64Array,
): number | undefined {
  const abs = !Number.isNaN(center);
  if (abs && !Number.isFinite(center)) return undefined; // |±Infinity − center| may be NaN: gather as before
  const sample = new Float64Array(SAMPLE);
  let s = 0;
  for (let k = 0; k < SAMPLE; k++) {
    const v = data[Math.floor((k * rows) / SAMPLE) * cols + c];
    if (!Number.isNaN(v)) sample[s++] = abs ? Math.abs(v - center) : v;
  }
  if (s < SAMPLE / 2) return undefined;
  const sorted = sample.subarray(0, s).sort();
  const margin = Math.ceil(4 * Math.sqrt(s)); // 8 binomial standard deviations of the sample's middle rank
  const lo = sorted[Math.max(0, (s >> 1) - margin)],
    hi = sorted[Math.min(s - 1, (s >> 1) + margin)];
  let below = 0,
    above = 0,
    m = 0;
  // Branch-free: the values fall on either side of lo and hi at random, which a branch would mispredict.
  for (let r = 0, i = c; r < rows; r++, i += cols) {
    const v = abs ? Math.abs(data[i] - center) : data[i];
    below += +(v < lo);
    above += +(v > hi);
    scratch[m] = v; // m ≤ r: kept only if counted here (NaN is none of the three)
    m += +(v >= lo) & +(v <= hi);
  }
  const n = below + m + above,
    h = n >> 1;
  if (below > (n % 2 ? h : h - 1) || h >= below + m) return undefined;
  for (let k = below; k < above; k++) scratch[m++] = Infinity;
  for (let k = above; k < below; k++) scratch[m++] = -Infinity;
  return medianInPlace(scratch, m);
}
