// Worker entry, built self-contained to dist/sort-worker.js (browsers) and dist/sort-worker.node.mjs
// (Node; the ./worker export): sorts one electrode group. One Wasm instance per worker.
import { Comlink, exposeWorker, type Matrix } from '@spyglass-wasm/core';
import { sortGroup, type SortGroupOptions } from '../sort/sort-group.js';
import { sortNeighbourhood, type NeighbourhoodJob } from '../probe/sort-neighbourhood.js';

type Progress = ((fraction: number) => void) | undefined;

/** The proxy's channel, opened for one call, closed after its last report. */
function release(proxy: unknown): void {
  (proxy as Partial<Comlink.Remote<unknown>> | undefined)?.[Comlink.releaseProxy]?.();
}

const api = {
  /**
   * sortGroup in the worker. A function cannot travel inside `options`: pass progress as the third
   * argument, wrapped in `Comlink.proxy(onProgress)`.
   */
  async sortGroup(x: Matrix<Float32Array>, options: Omit<SortGroupOptions, 'onProgress'>, onProgress?: Progress) {
    try {
      return sortGroup(x, { ...options, onProgress: onProgress ? (f) => void onProgress(f) : undefined });
    } finally {
      release(onProgress);
    }
  },
  /**
   * One neighbourhood of a probe (sortProbe): its samples are read from the caller a window at a
   * time through `read` (`Comlink.proxy`), so the worker holds one neighbourhood's windows only.
   */
  async sortNeighbourhood(
    job: NeighbourhoodJob,
    read: (start: number, end: number) => Promise<Matrix<Float32Array>>,
    onProgress?: Progress,
  ) {
    try {
      return await sortNeighbourhood(job, (a, b) => read(a, b), onProgress ? (f) => void onProgress(f) : undefined);
    } finally {
      release(read);
      release(onProgress);
    }
  },
};
export type SortWorkerApi = typeof api;

exposeWorker(api);
