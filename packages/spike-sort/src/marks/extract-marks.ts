import type { Matrix } from '@spyglass-wasm/core';
import type { Peak } from '../detect/detect-peaks.js';

/** Clusterless marks of one electrode group: per detected spike, its amplitude on each channel. */
export interface Marks {
  group: string;
  /** Spike times, seconds. */
  times: Float64Array;
  /** n × channels amplitudes (µV) at the spike's peak sample, sign as recorded. */
  marks: Float32Array;
  channels: number;
}

/**
 * Marks for clusterless decoding: the value of every channel of the group at each detected peak
 * (no clustering needed), times in seconds from `startTime`.
 */
export function extractMarks(
  filtered: Matrix<Float32Array | Float64Array>,
  peaks: readonly Peak[],
  fs: number,
  group: string,
  startTime = 0,
): Marks {
  const { data, cols } = filtered;
  const marks = new Float32Array(peaks.length * cols);
  peaks.forEach((p, i) => {
    for (let c = 0; c < cols; c++) marks[i * cols + c] = data[p.sample * cols + c];
  });
  return { group, times: Float64Array.from(peaks, (p) => startTime + p.time / fs), marks, channels: cols };
}
