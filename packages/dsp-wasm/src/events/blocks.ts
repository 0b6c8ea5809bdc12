import { ParameterError, medianStep } from '@spyglass-wasm/core';

/** A half-open run of sample indices [start, stop) with no missing sample and no time gap. */
export type Block = readonly [start: number, stop: number];

/**
 * Sample times from options: `time` if given (checked against n), else startTime + i / fs.
 *
 * @example
 * sampleTimes(3, { fs: 1000, startTime: 2 }); // Float64Array [2, 2.001, 2.002]
 */
export function sampleTimes(
  n: number,
  o: { fs: number; time?: ArrayLike<number>; startTime?: number },
): ArrayLike<number> {
  if (o.time) {
    if (o.time.length !== n) throw new ParameterError('time', `one time per sample (${n})`, `${o.time.length} times`);
    return o.time;
  }
  const t0 = o.startTime ?? 0;
  return Float64Array.from({ length: n }, (_, i) => t0 + i / o.fs);
}

/**
 * Samples a duration spans: round-half-up of duration / median time step, at least 1 (the
 * convention of ripple_detection and the Frank lab's extractevents: 15 ms at 1 kHz = 15 samples).
 */
export function minimumSampleCount(time: ArrayLike<number>, duration: number): number {
  return time.length < 2 ? 1 : samplesIn(duration, medianStep(time));
}

/** minimumSampleCount for a median time step `step`. */
export function samplesIn(duration: number, step: number): number {
  if (!(step > 0) || !Number.isFinite(step))
    throw new ParameterError('time', 'increasing sample times in seconds', `median step ${step}`);
  return Math.max(1, Math.floor(duration / step + 0.5 + 1e-6));
}

/**
 * Contiguous blocks of valid samples: a block ends at an invalid sample and wherever the time step
 * exceeds 1.5 × the median step (a recording gap). Every detector smooths, z-scores and thresholds
 * within blocks, so nothing is computed across a gap and no event spans one.
 */
export function validBlocks(valid: ArrayLike<boolean | number>, time: ArrayLike<number>): Block[] {
  return blocksWithin(valid, time, 0, blockGap(time));
}

/** The time step beyond which validBlocks splits a block: 1.5 × the median step. */
export function blockGap(time: ArrayLike<number>): number {
  return time.length > 1 ? 1.5 * medianStep(time) : Infinity;
}

/**
 * validBlocks of rows [lo, lo + valid.length) of a longer recording (valid[i] for row lo + i;
 * `time` the whole recording's), in its row numbers: the recording's blocks cut to those rows.
 */
export function blocksWithin(
  valid: ArrayLike<boolean | number>,
  time: ArrayLike<number>,
  lo: number,
  maxStep: number,
): Block[] {
  const n = valid.length;
  const blocks: Block[] = [];
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const ok = i < n && !!valid[i];
    const gap = ok && start >= 0 && time[lo + i] - time[lo + i - 1] > maxStep;
    if (start >= 0 && (!ok || gap)) {
      blocks.push([lo + start, lo + i]);
      start = -1;
    }
    if (ok && start < 0) start = i;
  }
  return blocks;
}
