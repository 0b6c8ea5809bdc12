import { createRng, type Matrix } from '@spyglass-wasm/core';
import type { Peak } from '../detect/detect-peaks.js';

/** Detections template learning clusters at most, by default (`learnSpikes`). */
export const LEARN_SPIKES = 6000;

export interface LearningSampleOptions {
  /** Rows per block (1 s of samples). */
  block: number;
  /** Most detections the sample keeps. */
  budget: number;
  /** Snippet window, for dropping detections whose snippet would straddle two blocks. */
  before: number;
  after: number;
  seed: number;
}

/**
 * The part of a recording template learning looks at when it has more detections than `budget`:
 * whole blocks spread evenly over the recording (a seeded phase, then a fixed stride), as many as
 * hold about `budget` detections, their rows joined into one filtered and one whitened matrix with
 * the detections in them re-indexed. Whole blocks, not single detections, so the refinement's
 * template matching sees each spike's neighbours as in the full data. Undefined when every
 * detection fits the budget (the recording is learned whole, as before).
 */
export function learningSample<T extends Float32Array | Float64Array>(
  x: Matrix<T>,
  w: Matrix<T>,
  detections: readonly Peak[],
  options: LearningSampleOptions,
): { x: Matrix<Float32Array>; w: Matrix<Float32Array>; peaks: Peak[] } | undefined {
  const { block, budget, before, after } = options;
  if (detections.length <= budget) return undefined;
  const peaks = detections.slice().sort((a, b) => a.sample - b.sample);
  const blocks = Math.ceil(x.rows / block);
  const take = Math.min(blocks, Math.ceil((blocks * budget) / peaks.length));
  if (take >= blocks) return thin(x, w, peaks, budget);
  const phase = createRng(options.seed).uniform();
  const picks = Array.from({ length: take }, (_, i) => Math.floor(((i + phase) * blocks) / take));
  const C = x.cols;
  const rowsOf = (b: number) => Math.min(x.rows, (b + 1) * block) - b * block;
  const rows = picks.reduce((n, b) => n + rowsOf(b), 0);
  const sx = new Float32Array(rows * C),
    sw = w === x ? sx : new Float32Array(rows * C);
  const kept: Peak[] = [];
  let at = 0,
    p = 0;
  picks.forEach((b, i) => {
    const start = b * block,
      n = rowsOf(b);
    sx.set(x.data.subarray(start * C, (start + n) * C), at * C);
    if (sw !== sx) sw.set(w.data.subarray(start * C, (start + n) * C), at * C);
    // A detection next to a junction with a block that is not its neighbour would see both.
    const cutBefore = i > 0 && picks[i - 1] !== b - 1 ? before + 2 : 0;
    const cutAfter = i + 1 < picks.length && picks[i + 1] !== b + 1 ? after + 2 : 0;
    while (p < peaks.length && peaks[p].sample < start) p++;
    for (; p < peaks.length && peaks[p].sample < start + n; p++) {
      const q = peaks[p];
      if (q.sample < start + cutBefore || q.sample >= start + n - cutAfter) continue;
      kept.push({ ...q, sample: q.sample - start + at, time: q.time - start + at });
    }
    at += n;
  });
  const mx = { data: sx, rows, cols: C };
  return thin(mx, sw === sx ? mx : { data: sw, rows, cols: C }, kept, budget);
}

/** At most `budget` of the detections, evenly strided in time order (all of them when they fit). */
function thin<T extends Float32Array | Float64Array>(
  x: Matrix<T>,
  w: Matrix<T>,
  peaks: readonly Peak[],
  budget: number,
): { x: Matrix<Float32Array>; w: Matrix<Float32Array>; peaks: Peak[] } {
  const f32 = (m: Matrix<T>) =>
    m.data instanceof Float32Array
      ? (m as Matrix<Float32Array>)
      : { data: Float32Array.from(m.data), rows: m.rows, cols: m.cols };
  const fx = f32(x);
  const kept =
    peaks.length <= budget
      ? peaks.slice()
      : Array.from({ length: budget }, (_, i) => peaks[Math.floor((i * peaks.length) / budget)]);
  return { x: fx, w: w === x ? fx : f32(w), peaks: kept };
}
