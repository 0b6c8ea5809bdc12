// Worker entry, built self-contained to dist/sort-worker.js (browsers) and dist/sort-worker.node.mjs
// (Node; the ./worker export): sorts one electrode group. One Wasm
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
