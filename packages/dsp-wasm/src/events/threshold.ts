import type { Block } from './blocks.js';

/** An event candidate: first and last sample index (inclusive). */
export type SampleRange = [first: number, last: number];

/**
 * thresholdBlocks's rule on a z-score handed over a sample at a time, in order: each block's
 * samples (`sample`) then its end (`endBlock`). `found(first, last)` receives each candidate as
 * its above-mean run closes; only the open runs' starts are kept. Every path to events (whole
 * traces, windows, Karlsson's channels) thresholds through this one class.
 */
export class CandidateFinder {
  /** First sample of the open run at or above the mean (0), −1 when none is open. */
  meanStart = -1;
  private runStart = -1;
  private hit = false;

  constructor(
    private readonly threshold: number,
    private readonly minSamples: number,
    private readonly found: (first: number, last: number) => void,
  ) {}

  /** Sample `i` (blocks' samples in order) and its z-score; NaN closes every run. */
  sample(i: number, v: number): void {
    // a run at or above threshold is always inside a run at or above the mean (threshold ≥ 0)
    if (v >= this.threshold) {
      if (this.runStart < 0) this.runStart = i;
    } else if (this.runStart >= 0) {
      if (i - this.runStart >= this.minSamples) this.hit = true;
      this.runStart = -1;
    }
    if (v >= 0) {
      if (this.meanStart < 0) this.meanStart = i;
    } else if (this.meanStart >= 0) {
      const first = this.meanStart;
      this.meanStart = -1;
      if (this.hit && i - first >= this.minSamples) this.found(first, i - 1);
      this.hit = false;
    }
  }

  /** The block ends before sample `i`: its open runs close there, and nothing carries over. */
  endBlock(i: number): void {
    this.sample(i, NaN);
    this.runStart = -1;
    this.hit = false;
  }
}

/**
 * ripple_detection's threshold_by_zscore within each block: runs at or above `threshold` lasting at
 * least `minSamples` samples, each extended to the run at or above 0 (the mean) that contains it;
 * above-mean runs shorter than `minSamples` never hold an event. Sorted, duplicates removed.
 *
 * @example
 * thresholdBlocks(z, [[0, z.length]], { minSamples: 15, threshold: 2 }); // [[first, last], ...]
 */
export function thresholdBlocks(
  z: ArrayLike<number>,
  blocks: readonly Block[],
  options: { minSamples: number; threshold: number },
): SampleRange[] {
  const out: SampleRange[] = [];
  const finder = new CandidateFinder(options.threshold, options.minSamples, (a, b) => out.push([a, b]));
  for (const [start, stop] of blocks) {
    for (let i = start; i < stop; i++) finder.sample(i, z[i]);
    finder.endBlock(stop);
  }
  return out;
}

/**
 * Ranges merged where they share a sample (merge_overlapping_ranges), given either sorted by first
 * sample or, streamed, each ending no earlier than those before it: `ranges` holds the merged ones
 * so far, disjoint and sorted.
 */
export class RangeMerger {
  readonly ranges: SampleRange[] = [];

  add(first: number, last: number): void {
    const r = this.ranges;
    let a = first,
      b = last;
    // the merged ranges that share a sample with [first, last] are those at the end reaching first
    while (r.length > 0 && r[r.length - 1][1] >= first) {
      const [s, e] = r.pop()!;
      a = Math.min(a, s);
      b = Math.max(b, e);
    }
    r.push([a, b]);
  }
}

/** Merges overlapping or touching ranges (ripple_detection's merge_overlapping_ranges). */
export function mergeRanges(ranges: SampleRange[]): SampleRange[] {
  const merger = new RangeMerger();
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1])) merger.add(s, e);
  return merger.ranges;
}
