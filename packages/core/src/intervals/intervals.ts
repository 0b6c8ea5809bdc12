import { median } from '../stats/median.js';
/** A closed time interval [start, end] in seconds. */
export type Interval = readonly [number, number];

/**
 * Sorts and merges overlapping or touching intervals; drops empty ones (end < start).
 *
 * @example
 * mergeIntervals([[3, 4], [1, 2], [1.5, 3.2]]); // [[1, 4]]
 */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const sorted = list.filter(([s, e]) => e >= s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Times covered by a or b. */
export function unionIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return mergeIntervals([...a, ...b]);
}

/** Times covered by both a and b. */
export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = mergeIntervals(a),
    y = mergeIntervals(b);
  const out: Interval[] = [];
  let i = 0,
    j = 0;
  while (i < x.length && j < y.length) {
    const s = Math.max(x[i][0], y[j][0]),
      e = Math.min(x[i][1], y[j][1]);
    if (s <= e) out.push([s, e]);
    if (x[i][1] < y[j][1]) i++;
    else j++;
  }
  return out;
}

/** Times in a but not in b; pieces that shrink to a point are dropped. */
export function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const y = mergeIntervals(b);
  const out: Interval[] = [];
  for (const [s0, e0] of mergeIntervals(a)) {
    let s = s0;
    for (const [bs, be] of y) {
      if (be < s || bs > e0) continue;
      if (bs > s) out.push([s, bs]);
      s = Math.max(s, be);
    }
    if (e0 > s) out.push([s, e0]);
  }
  return out;
}

/** Windows of ±halfWidth seconds around each time, merged: what to remove around artifacts. */
export function removalWindows(times: ArrayLike<number>, halfWidth: number): Interval[] {
  return mergeIntervals(Array.from(times, (t) => [t - halfWidth, t + halfWidth] as Interval));
}

/**
 * Intervals of valid data from sample times: a gap longer than `maxGap` seconds (default 1.5
 * sampling periods, from the median step) ends an interval; intervals shorter than `minLength`
 * are dropped. Non-monotonic times throw: they cannot be read as a time base.
 */
export function validIntervalsFromTimes(
  times: ArrayLike<number>,
  options: { maxGap?: number; minLength?: number } = {},
): Interval[] {
  const n = times.length;
  if (n === 0) return [];
  const steps: number[] = [];
  for (let i = 1; i < n; i++) {
    const d = times[i] - times[i - 1];
    if (!(d > 0))
      throw new RangeError(`timestamps are not strictly increasing at index ${i} (${times[i - 1]} then ${times[i]})`);
    steps.push(d);
  }
  const maxGap = options.maxGap ?? 1.5 * (steps.length ? median(steps) : 0);
  const minLength = options.minLength ?? 0;
  const out: Interval[] = [];
  let start = times[0];
  for (let i = 1; i < n; i++) {
    if (times[i] - times[i - 1] > maxGap) {
      out.push([start, times[i - 1]]);
      start = times[i];
    }
  }
  out.push([start, times[n - 1]]);
  return out.filter(([s, e]) => e - s >= minLength);
}
