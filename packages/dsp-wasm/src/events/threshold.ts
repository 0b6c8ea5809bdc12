import type { Block } from './blocks.js';

/** An event candidate: first and last sample index (inclusive). */
export type SampleRange = [first: number, last: number];

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
  const { minSamples, threshold } = options;
  const out: SampleRange[] = [];
  for (const [start, stop] of blocks) {
    let meanStart = -1,
      runStart = -1,
      hit = false;
    for (let i = start; i <= stop; i++) {
      const v = i < stop ? z[i] : NaN;
      // a run at or above threshold is always inside a run at or above the mean (threshold ≥ 0)
      if (v >= threshold) {
        if (runStart < 0) runStart = i;
      } else if (runStart >= 0) {
        if (i - runStart >= minSamples) hit = true;
        runStart = -1;
      }
      if (v >= 0) {
        if (meanStart < 0) meanStart = i;
      } else if (meanStart >= 0) {
        if (hit && i - meanStart >= minSamples) out.push([meanStart, i - 1]);
        meanStart = -1;
        hit = false;
      }
    }
  }
  return out;
}

/** Merges overlapping or touching ranges (ripple_detection's merge_overlapping_ranges). */
export function mergeRanges(ranges: SampleRange[]): SampleRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: SampleRange[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
