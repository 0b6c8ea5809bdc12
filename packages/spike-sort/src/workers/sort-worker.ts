// Worker entry, built self-contained to dist/sort-worker.js (browsers) and dist/sort-worker.node.mjs
// (Node; the ./worker export): sorts one electrode group. One Wasm instance per worker.
import { Comlink, exposeWorker, type Matrix } from '@spyglass-wasm/core';
import { sortGroup, type SortGroupOptions } from '../sort/sort-group.js';

const api = {
  /**
   * sortGroup in the worker. A function cannot travel inside `options`: pass progress as the third
   * argument, wrapped in `Comlink.proxy(onProgress)`.
   */
  async sortGroup(
    x: Matrix<Float32Array>,
    options: Omit<SortGroupOptions, 'onProgress'>,
    onProgress?: (fraction: number) => void,
  ) {
    try {
      return sortGroup(x, { ...options, onProgress: onProgress ? (f) => void onProgress(f) : undefined });
    } finally {
      // the proxy's channel, opened for this call, is closed after its last report
      (onProgress as Partial<Comlink.Remote<unknown>> | undefined)?.[Comlink.releaseProxy]?.();
    }
  },
};
export type SortWorkerApi = typeof api;

exposeWorker(api);
