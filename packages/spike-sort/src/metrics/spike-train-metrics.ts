import { checkNumber, checkOptionNames, gaussianFilter1d } from '@spyglass-wasm/core';

/** Spikes per second over the recording's duration (s). */
export function firingRate(times: ArrayLike<number>, duration: number): number {
  return duration > 0 ? times.length / duration : NaN;
}

export interface IsiViolationOptions {
  /** Intervals shorter than this (s) are violations (default 0.0015, SpikeInterface's isi_threshold_ms 1.5). */
  threshold?: number;
  /** The shortest interval the sorter can report (s, default 0; SpikeInterface's min_isi_ms). */
  minIsi?: number;
}

/**
 * ISI violations as Hill et al. (2011) and SpikeInterface: the count of inter-spike intervals
 * shorter than `threshold` and the ratio of the violation rate to the unit's rate (times in
 * seconds, sorted; duration of the recording in seconds).
 *
 * @example
 * isiViolations(times, 600, { threshold: 0.002 }); // { count: 3, ratio: 0.04 }
 */
export function isiViolations(
  times: ArrayLike<number>,
  duration: number,
  options: IsiViolationOptions = {},
): { count: number; ratio: number } {
  checkOptionNames('isiViolations', options, ['threshold', 'minIsi']);
  const threshold = checkNumber('threshold', options.threshold ?? 0.0015, { min: 0, exclusiveMin: true });
  const minIsi = checkNumber('minIsi', options.minIsi ?? 0, { min: 0, max: threshold });
  let count = 0;
  for (let i = 1; i < times.length; i++) if (times[i] - times[i - 1] < threshold) count++;
  const n = times.length;
  const violationTime = 2 * n * (threshold - minIsi);
  const totalRate = n / duration;
  return { count, ratio: n && violationTime > 0 ? count / violationTime / totalRate : NaN };
}

/**
 * Fraction of `binDuration` (s, default 60) bins of the recording from `start` to `end` (s) that
 * hold at least one spike.
 *
 * @example
 * presenceRatio(times, 0, 600, { binDuration: 30 }); // 0.95
 */
export function presenceRatio(
  times: ArrayLike<number>,
  start: number,
  end: number,
  options: { binDuration?: number } = {},
): number {
  checkOptionNames('presenceRatio', options, ['binDuration']);
  const binDuration = checkNumber('binDuration', options.binDuration ?? 60, { min: 0, exclusiveMin: true });
  const bins = Math.max(1, Math.ceil((end - start) / binDuration));
  const seen = new Uint8Array(bins);
  for (let i = 0; i < times.length; i++) {
    const b = Math.floor((times[i] - start) / binDuration);
    if (b >= 0 && b < bins) seen[b] = 1;
  }
  return seen.reduce((a, b) => a + b, 0) / bins;
}

export interface AmplitudeCutoffOptions {
  /** Histogram bins (default 100, SpikeInterface's num_histogram_bins). */
  bins?: number;
  /** Gaussian smoothing of the histogram, in bins (default 3, histogram_smoothing_value). */
  smoothing?: number;
  /** Fewest spikes per bin on average, else NaN (default 5, amplitudes_bins_min_ratio). */
  minRatio?: number;
}

/**
 * Amplitude cutoff (Hill et al. 2011, SpikeInterface): the fraction of a unit's spikes estimated
 * to be missed below the detection threshold, from the smoothed amplitude histogram mirrored
 * about its peak; capped at 0.5. NaN with fewer than bins × minRatio spikes.
 *
 * @example
 * amplitudeCutoff(amplitudes); // 0.01: few spikes missed
 */
export function amplitudeCutoff(amplitudes: ArrayLike<number>, options: AmplitudeCutoffOptions = {}): number {
  checkOptionNames('amplitudeCutoff', options, ['bins', 'smoothing', 'minRatio']);
  const bins = checkNumber('bins', options.bins ?? 100, { min: 1, integer: true });
  const smoothing = checkNumber('smoothing', options.smoothing ?? 3, { min: 0 });
  const minRatio = checkNumber('minRatio', options.minRatio ?? 5, { min: 0 });
  const n = amplitudes.length;
  if (n < bins * minRatio) return NaN;
  const a = Float64Array.from(amplitudes, Math.abs);
  let lo = Infinity,
    hi = -Infinity;
  for (const v of a) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const width = (hi - lo) / bins || 1;
  const h = new Float64Array(bins);
  for (const v of a) h[Math.min(bins - 1, Math.floor((v - lo) / width))] += 1 / (n * width);
  const pdf = gaussianFilter1d(h, smoothing);
  let peak = 0;
  for (let i = 1; i < bins; i++) if (pdf[i] > pdf[peak]) peak = i;
  let g = peak,
    best = Infinity;
  for (let i = peak; i < bins; i++) {
    const d = Math.abs(pdf[i] - pdf[0]);
    if (d < best) {
      best = d;
      g = i;
    }
  }
  let missing = 0;
  for (let i = g; i < bins; i++) missing += pdf[i] * width;
  return Math.min(missing, 0.5);
}
