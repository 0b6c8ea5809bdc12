import { gaussianFilter1d } from '@spyglass-wasm/core';

/** Spikes per second over the recording's duration (s). */
export function firingRate(times: ArrayLike<number>, duration: number): number {
  return duration > 0 ? times.length / duration : NaN;
}

/**
 * ISI violations as Hill et al. (2011) and SpikeInterface: the count of inter-spike intervals
 * shorter than `threshold` (s, default 1.5 ms) and the ratio of the violation rate to the unit's
 * rate (times in seconds, sorted).
 */
export function isiViolations(
  times: ArrayLike<number>,
  duration: number,
  threshold = 0.0015,
  minIsi = 0,
): { count: number; ratio: number } {
  let count = 0;
  for (let i = 1; i < times.length; i++) if (times[i] - times[i - 1] < threshold) count++;
  const n = times.length;
  const violationTime = 2 * n * (threshold - minIsi);
  const totalRate = n / duration;
  return { count, ratio: n && violationTime > 0 ? count / violationTime / totalRate : NaN };
}

/** Fraction of `binDuration` (s, default 60) bins of the recording that hold at least one spike. */
export function presenceRatio(times: ArrayLike<number>, start: number, end: number, binDuration = 60): number {
  const bins = Math.max(1, Math.ceil((end - start) / binDuration));
  const seen = new Uint8Array(bins);
  for (let i = 0; i < times.length; i++) {
    const b = Math.floor((times[i] - start) / binDuration);
    if (b >= 0 && b < bins) seen[b] = 1;
  }
  return seen.reduce((a, b) => a + b, 0) / bins;
}

/**
 * Amplitude cutoff (Hill et al. 2011, SpikeInterface): the fraction of a unit's spikes estimated
 * to be missed below the detection threshold, from the smoothed amplitude histogram mirrored
 * about its peak; capped at 0.5. NaN with fewer than bins × 5 spikes.
 */
export function amplitudeCutoff(amplitudes: ArrayLike<number>, bins = 100, smoothing = 3, minRatio = 5): number {
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
