import type { Matrix } from '@spyglass-wasm/core';
import { sortGroup, type GroupSorting } from '../sort/sort-group.js';
import { sortStreamAsync, type SortStreamOptions, type StreamReads } from '../stream/sort-stream.js';
import { keepCoreUnits } from './neighbourhoods.js';

/** One neighbourhood of a probe to sort (sortProbe), as it travels to a worker. */
export interface NeighbourhoodJob {
  rows: number;
  fs: number;
  /** Columns of the neighbourhood's samples that are its core (its units are those peaking there). */
  core: number[];
  /** Sort it whole (sortGroup, one read of every row) instead of a window at a time (sortStream). */
  inMemory: boolean;
  /** Streamed: hold the learning chunks until matched, or read them again (sortStream's `reads`). */
  reads?: StreamReads;
  options: Omit<SortStreamOptions, 'onProgress'>;
}

/** Sorts one neighbourhood, read through `read` (its channels only), and keeps its core's units. */
export async function sortNeighbourhood(
  job: NeighbourhoodJob,
  read: (start: number, end: number) => Promise<Matrix<Float32Array>> | Matrix<Float32Array>,
  onProgress?: (fraction: number) => void,
): Promise<GroupSorting> {
  // sortGroup reads none of the stream's options (chunkSeconds, learnSeconds)
  const sorting = job.inMemory
    ? sortGroup(await read(0, job.rows), { ...job.options, fs: job.fs, onProgress })
    : await sortStreamAsync({ rows: job.rows, fs: job.fs, read }, { ...job.options, onProgress }, job.reads);
  return keepCoreUnits(sorting, job.core);
}
