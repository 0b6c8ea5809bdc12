import { ParameterError, checkChoice, checkNumber } from '@spyglass-wasm/core';
import { type Segment, trueSegments } from './segments.js';

export type SpeedRule = 'endpoints' | 'all' | 'mean';

/** Whether an event spanning samples [first, last] passes the speed gate. */
export function isImmobile(speed: ArrayLike<number>, first: number, last: number, threshold: number, rule: SpeedRule): boolean {
  if (rule === 'endpoints') return speed[first] <= threshold && speed[last] <= threshold;
  let sum = 0;
  for (let i = first; i <= last; i++) {
    if (rule === 'all' && !(speed[i] <= threshold)) return false;
    sum += speed[i];
  }
  return rule === 'all' || sum / (last - first + 1) <= threshold;
}

/** One detected event, in the session's time base. */
export interface DetectedEvent {
  start: number;
  peak: number;
  end: number;
  duration: number;
  /** Largest z-score in the event. */
  maxZscore: number;
  meanZscore: number;
  /** Mean speed during the event (NaN without speed). */
  meanSpeed: number;
}

export interface EventThresholds {
  /** z-score an event must reach (default 2). */
  zscoreThreshold?: number;
  /** Shortest event kept, seconds, measured between the mean crossings (default 0.015). */
  minimumDuration?: number;
  /** Speed (cm/s) per sample, aligned with the trace; events with any faster sample are dropped. */
  speed?: ArrayLike<number>;
  /** Default 4 cm/s. */
  speedThreshold?: number;
  /**
   * Which speeds must be at or below the threshold: 'endpoints' (at the event's first and last
   * sample, ripple_detection's default), 'all' samples, or the 'mean' over the event.
   */
  speedRule?: SpeedRule;
  /** Events starting within this many seconds of the previous one's end are dropped (default 0). */
  closeEventThreshold?: number;
}

/**
 * The event core every detector shares: on a z-scored trace, keep each stretch above the mean
 * (z ≥ 0) that reaches the threshold and lasts at least the minimum duration, then drop events
 * with movement and events too close to the previous one. Times of samples come from `time`.
 */
export function detectEvents(z: Float64Array, time: ArrayLike<number>, options: EventThresholds = {}): DetectedEvent[] {
  if (time.length !== z.length) throw new ParameterError('time', `one time per sample (${z.length})`, `${time.length} times`);
  const threshold = checkNumber('zscoreThreshold', options.zscoreThreshold ?? 2, {});
  const minimumDuration = checkNumber('minimumDuration', options.minimumDuration ?? 0.015, { min: 0 });
  const speedThreshold = checkNumber('speedThreshold', options.speedThreshold ?? 4, { min: 0 });
  const close = checkNumber('closeEventThreshold', options.closeEventThreshold ?? 0, { min: 0 });
  const rule = checkChoice('speedRule', options.speedRule ?? 'endpoints', ['endpoints', 'all', 'mean'] as const);
  const { speed } = options;
  if (speed && speed.length !== z.length) throw new ParameterError('speed', `one speed per sample (${z.length})`, `${speed.length} values`);

  const aboveMean = trueSegments(Array.from(z, (v) => v >= 0));
  const events: DetectedEvent[] = [];
  for (const seg of aboveMean) {
    if (time[seg.last] - time[seg.first] < minimumDuration) continue;
    const stats = segmentStats(z, seg, speed);
    if (stats.max < threshold) continue;
    if (speed && !isImmobile(speed, seg.first, seg.last, speedThreshold, rule)) continue;
    events.push({
      start: time[seg.first],
      peak: time[stats.argmax],
      end: time[seg.last],
      duration: time[seg.last] - time[seg.first],
      maxZscore: stats.max,
      meanZscore: stats.mean,
      meanSpeed: stats.meanSpeed,
    });
  }
  if (close <= 0) return events;
  const kept: DetectedEvent[] = [];
  for (const e of events) if (kept.length === 0 || e.start - kept[kept.length - 1].end > close) kept.push(e);
  return kept;
}

function segmentStats(z: Float64Array, seg: Segment, speed?: ArrayLike<number>) {
  let max = -Infinity, argmax = seg.first, sum = 0, sumSpeed = 0;
  for (let i = seg.first; i <= seg.last; i++) {
    sum += z[i];
    if (z[i] > max) {
      max = z[i];
      argmax = i;
    }
    if (speed) sumSpeed += speed[i];
  }
  const n = seg.last - seg.first + 1;
  return { max, argmax, mean: sum / n, meanSpeed: speed ? sumSpeed / n : NaN };
}
