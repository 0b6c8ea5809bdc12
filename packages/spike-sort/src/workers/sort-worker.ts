// Worker entry (built to dist/workers/sort-worker.js): sorts one electrode group. One Wasm
// instance per worker.
import { exposeWorker, type Matrix } from '@spyglass-wasm/core';
import { sortGroup, type SortGroupOptions } from '../sort/sort-group.js';

const api = {
  sortGroup(x: Matrix<Float32Array>, options: SortGroupOptions) {
    return sortGroup(x, options);
  },
};
export type SortWorkerApi = typeof api;

exposeWorker(api);
