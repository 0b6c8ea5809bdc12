// Plain whole-array references of the event core's rules, independent of the streaming classes
// (CandidateFinder, RangeMerger, EventStats, EventFinisher) that every detector now goes through:
// the tests hold the detectors to these bit for bit (the same comparisons and sums in the same order).
import type { Block } from '../src/events/blocks.js';
import { minimumSampleCount } from '../src/events/blocks.js';
import {
  type DetectedEvent,
  type EventThresholds,
  type Settings,
  type SpeedRule,
  normalize,
} from '../src/events/detect-events.js';

type Range = [number, number];

/** Within each block: every maximal run z ≥ 0 of ≥ nMin samples holding a run z ≥ thr of ≥ nMin samples. */
export function referenceCandidates(
  z: ArrayLike<number>,
  blocks: readonly Block[],
  nMin: number,
  thr: number,
): Range[] {
  const out: Range[] = [];
  for (const [start, stop] of blocks) {
    for (let a = start; a < stop; a++) {
      if (!(z[a] >= 0) || (a > start && z[a - 1] >= 0)) continue;
      let b = a;
      while (b + 1 < stop && z[b + 1] >= 0) b++;
      let longest = 0,
        run = 0;
      for (let i = a; i <= b; i++) longest = Math.max(longest, (run = z[i] >= thr ? run + 1 : 0));
      if (b - a + 1 >= nMin && longest >= nMin) out.push([a, b]);
    }
  }
  return out;
}

/** Sorted by first sample, ranges that share a sample merged. */
export function referenceMerge(ranges: Range[]): Range[] {
  const out: Range[] = [];
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function isStill(speed: ArrayLike<number>, first: number, last: number, threshold: number, rule: SpeedRule): boolean {
  if (rule === 'endpoints') return speed[first] <= threshold && speed[last] <= threshold;
  let sum = 0;
  for (let i = first; i <= last; i++) {
    if (rule === 'all' && !(speed[i] <= threshold)) return false;
    sum += speed[i];
  }
  return rule === 'all' || sum / (last - first + 1) <= threshold;
}

/** Speed gate, then the close-event rule against the last kept event, then each event's statistics on z. */
export function referenceFinish(
  candidates: Range[],
  z: ArrayLike<number>,
  time: ArrayLike<number>,
  s: Settings,
  speed?: ArrayLike<number>,
): DetectedEvent[] {
  const still = speed ? candidates.filter(([a, b]) => isStill(speed, a, b, s.speedThreshold, s.rule)) : candidates;
  const kept: Range[] = [];
  for (const c of still) {
    const last = kept[kept.length - 1];
    const gap = last ? time[c[0]] - time[last[1]] : Infinity;
    if (!last || !(gap < s.close) || Math.abs(gap - s.close) <= 1e-9 * s.close) kept.push(c);
  }
  return kept.map(([a, b]) => {
    let max = -Infinity,
      argmax = a,
      sum = 0,
      sumSpeed = 0;
    for (let i = a; i <= b; i++) {
      sum += z[i];
      if (z[i] > max) [max, argmax] = [z[i], i];
      if (speed) sumSpeed += speed[i];
    }
    const n = b - a + 1;
    return {
      start: time[a],
      peak: time[argmax],
      end: time[b],
      duration: time[b] - time[a],
      startIndex: a,
      endIndex: b,
      maxZscore: max,
      meanZscore: sum / n,
      meanSpeed: speed ? sumSpeed / n : NaN,
      peakIndex: argmax,
      speedAtPeak: speed ? speed[argmax] : NaN,
      speedAtStart: speed ? speed[a] : NaN,
      speedAtEnd: speed ? speed[b] : NaN,
      peakFrequency: NaN,
    };
  });
}

/** detectOnBlocks: z-score, candidates, finish. */
export function referenceDetect(
  trace: ArrayLike<number>,
  time: ArrayLike<number>,
  valid: Uint8Array,
  blocks: Block[],
  s: Settings,
  o: EventThresholds,
): DetectedEvent[] {
  if (blocks.length === 0) return [];
  const z = normalize(trace, valid, o);
  const candidates = referenceCandidates(z, blocks, minimumSampleCount(time, s.minimumDuration), s.threshold);
  return referenceFinish(candidates, z, time, s, o.speed);
}

/**
 * Karlsson's rule on whole channel traces (NaN outside the blocks): each channel z-scored and
 * thresholded on its own, the candidates merged, statistics from the largest z across channels.
 */
export function referenceKarlsson(
  traces: ArrayLike<number>[],
  time: ArrayLike<number>,
  valid: Uint8Array,
  blocks: Block[],
  s: Settings,
  o: EventThresholds,
): DetectedEvent[] {
  if (blocks.length === 0) return [];
  const nMin = minimumSampleCount(time, s.minimumDuration);
  const found: Range[] = [];
  const zmax = new Float64Array(valid.length).fill(NaN);
  for (const trace of traces) {
    const z = normalize(trace, valid, o);
    found.push(...referenceCandidates(z, blocks, nMin, s.threshold));
    for (let r = 0; r < zmax.length; r++)
      if (valid[r] && (z[r] > zmax[r] || (Number.isNaN(zmax[r]) && !Number.isNaN(z[r])))) zmax[r] = z[r];
  }
  return referenceFinish(referenceMerge(found), zmax, time, s, o.speed);
}

/** The option sets the streamed detectors are held to the whole-array rules under: every speed rule, none, a mask. */
export function speedRuleCases(speed: Float64Array, time: ArrayLike<number>): [string, EventThresholds][] {
  return [
    ['endpoints', { speed }],
    ['all', { speed, speedRule: 'all', speedThreshold: 3 }],
    ['mean', { speed, speedRule: 'mean', speedThreshold: 2 }],
    ['no speed, close events dropped', { closeEventThreshold: 0.05 }],
    ['a normalization mask and z 1', { speed, zscoreThreshold: 1, normalizationMask: Array.from(time, (t) => t < 15) }],
  ];
}
