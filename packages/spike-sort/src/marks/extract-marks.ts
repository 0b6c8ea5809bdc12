import { checkNumber, checkOptionNames, ParameterError, type Matrix } from '@spyglass-wasm/core';
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

export interface MarkOptions {
  /** Sampling rate of `filtered`, Hz. */
  fs: number;
  /** The electrode group's name, carried by the marks. */
  group: string;
  /** Time of the first row, s (default 0). */
  startTime?: number;
}

/**
 * Marks for clusterless decoding: the value of every channel of the group at each detected peak
 * (no clustering needed), times in seconds from `startTime`.
 *
 * @example
 * const marks = extractMarks(filtered, detectPeaks(filtered, detect), { fs: 30000, group: 'tetrode0' });
 */
export function extractMarks(
  filtered: Matrix<Float32Array | Float64Array>,
  peaks: readonly Peak[],
  options: MarkOptions,
): Marks {
  checkOptionNames('extractMarks', options, ['fs', 'group', 'startTime']);
  const fs = checkNumber('fs', options?.fs, { min: 0, exclusiveMin: true });
  const startTime = checkNumber('startTime', options.startTime ?? 0);
  const { group } = options;
  if (typeof group !== 'string') throw new ParameterError('group', 'the electrode group name (a string)', group);
  const { data, cols } = filtered;
  const marks = new Float32Array(peaks.length * cols);
  peaks.forEach((p, i) => {
    for (let c = 0; c < cols; c++) marks[i * cols + c] = data[p.sample * cols + c];
  });
  return { group, times: Float64Array.from(peaks, (p) => startTime + p.time / fs), marks, channels: cols };
}
