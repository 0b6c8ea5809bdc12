import { ParameterError, checkNumber, toMatrix, type FloatArray, type MatrixInput } from '@spyglass-wasm/core';
import { envelope } from '../spectral/hilbert.js';
import { type DetectedEvent, type EventThresholds, detectEvents, isImmobile } from './detect-events.js';
import { gaussianFilter1d } from './gaussian-filter.js';
import { zscore } from './zscore.js';

export interface RippleDetectorOptions extends EventThresholds {
  /** Sampling rate of the trace, Hz. */
  fs: number;
  /** Time of every sample, seconds; default startTime + i / fs. */
  time?: ArrayLike<number>;
  startTime?: number;
  /** Gaussian smoothing σ in seconds (default 0.004 for ripples, 0.015 for multiunit). */
  smoothingSigma?: number;
}

/** Sample times from options. */
export function sampleTimes(n: number, o: { fs: number; time?: ArrayLike<number>; startTime?: number }): ArrayLike<number> {
  if (o.time) {
    if (o.time.length !== n) throw new ParameterError('time', `one time per sample (${n})`, `${o.time.length} times`);
    return o.time;
  }
  const t0 = o.startTime ?? 0;
  return Float64Array.from({ length: n }, (_, i) => t0 + i / o.fs);
}

/** The detectors' smoothing: σ in seconds, kernel to 8 σ, zeros beyond the ends (as ripple_detection). */
function smooth(x: Float64Array, sigmaSeconds: number, fs: number): Float64Array {
  return gaussianFilter1d(x, sigmaSeconds * fs, { truncate: 8, mode: 'constant' });
}

/**
 * Kay et al. (2016) ripple detector on ripple-band (150–250 Hz) filtered LFP (time × channels):
 * the sum over channels of the squared signal, smoothed (σ 4 ms), square-rooted and z-scored, then
 * the shared event core (z ≥ 2, extended to the mean, ≥ 15 ms, speed < 4 cm/s). Rows with NaN on
 * any channel never belong to an event.
 *
 * @example
 * const band = bandFilter(lfp, { fs: 1000, band: 'ripple' });
 * const events = kayRippleDetector(band, { fs: 1000, speed });
 */
export function kayRippleDetector<T extends FloatArray>(filtered: MatrixInput<T>, options: RippleDetectorOptions): DetectedEvent[] {
  const m = toMatrix(filtered, 'filtered');
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  const combined = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let c = 0; c < m.cols; c++) s += m.data[r * m.cols + c] ** 2;
    combined[r] = s;
  }
  const nan = combined.map((v) => (Number.isNaN(v) ? 1 : 0));
  const power = smooth(combined.map((v) => (Number.isNaN(v) ? 0 : v)), options.smoothingSigma ?? 0.004, fs).map(Math.sqrt);
  const z = zscore(power.map((v, i) => (nan[i] ? NaN : v)));
  return detectEvents(z, sampleTimes(m.rows, options), options);
}

/**
 * Karlsson and Frank (2009) ripple detector: per channel, the Hilbert envelope of the ripple band,
 * smoothed and z-scored, events found per channel and merged where they overlap; then the speed
 * gate. The peak of a merged event is the time of its largest z-score on any channel.
 */
export function karlssonRippleDetector<T extends FloatArray>(filtered: MatrixInput<T>, options: RippleDetectorOptions): DetectedEvent[] {
  const m = toMatrix(filtered, 'filtered');
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  const time = sampleTimes(m.rows, options);
  const { speed, speedThreshold, speedRule, ...perChannel } = options;
  const zs: Float64Array[] = [];
  const found: DetectedEvent[] = [];
  for (let c = 0; c < m.cols; c++) {
    const ch = Float64Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + c]);
    const nan = ch.map((v) => (Number.isNaN(v) ? 1 : 0));
    const env = envelope(ch.map((v) => (Number.isNaN(v) ? 0 : v)));
    const z = zscore(smooth(env, options.smoothingSigma ?? 0.004, fs).map((v, i) => (nan[i] ? NaN : v)));
    zs.push(z);
    found.push(...detectEvents(z, time, { ...perChannel, closeEventThreshold: 0 }));
  }
  found.sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const e of found) {
    const last = merged[merged.length - 1];
    if (last && e.start <= last.end) last.end = Math.max(last.end, e.end);
    else merged.push({ start: e.start, end: e.end });
  }
  // Recompute each merged event's statistics on the per-sample maximum z across channels.
  const zmax = Float64Array.from({ length: m.rows }, (_, r) => Math.max(...zs.map((z) => z[r])));
  const events: DetectedEvent[] = [];
  let i = 0;
  for (const iv of merged) {
    while (i < m.rows && time[i] < iv.start) i++;
    let j = i, max = -Infinity, peak = iv.start, sum = 0, n = 0, sumSpeed = 0;
    for (; j < m.rows && time[j] <= iv.end; j++) {
      n++;
      sum += zmax[j];
      if (zmax[j] > max) {
        max = zmax[j];
        peak = time[j];
      }
      if (speed) sumSpeed += speed[j];
    }
    if (speed && !isImmobile(speed, i, j - 1, speedThreshold ?? 4, speedRule ?? 'endpoints')) continue;
    events.push({ start: iv.start, peak, end: iv.end, duration: iv.end - iv.start, maxZscore: max, meanZscore: sum / n, meanSpeed: speed ? sumSpeed / n : NaN });
  }
  const close = options.closeEventThreshold ?? 0;
  return close > 0 ? events.filter((e, k) => k === 0 || e.start - events[k - 1].end > close) : events;
}

export interface MultiunitHseOptions extends RippleDetectorOptions {
  /** Take the rate's mean and std only from samples slower than speedThreshold (default false). */
  useSpeedThresholdForZscore?: boolean;
}

/**
 * Multiunit high-synchrony events (Davidson et al. 2009): population firing rate from spike
 * counts per sample (time × units or a single summed column), smoothed with σ 15 ms, z-scored,
 * then the shared event core.
 */
export function multiunitHseDetector<T extends FloatArray>(spikeCounts: MatrixInput<T>, options: MultiunitHseOptions): DetectedEvent[] {
  const m = toMatrix(spikeCounts, 'spikeCounts');
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  const total = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let c = 0; c < m.cols; c++) s += m.data[r * m.cols + c];
    total[r] = s * fs;
  }
  const rate = smooth(total, options.smoothingSigma ?? 0.015, fs);
  const { speed } = options;
  const still = options.useSpeedThresholdForZscore && speed ? Array.from(speed, (v) => v < (options.speedThreshold ?? 4)) : undefined;
  return detectEvents(zscore(rate, still), sampleTimes(m.rows, options), options);
}
