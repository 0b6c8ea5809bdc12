// Worker entry, built self-contained to dist/worker.js (browsers) and dist/worker.node.mjs (Node;
// the ./worker export): filters blocks of channels for
// sosfiltfiltParallel. One Wasm instance per worker.
import { Comlink, exposeWorker, type Matrix } from '@spyglass-wasm/core';
import { sosfiltfilt, type SosfiltfiltOptions } from '../filter/sosfiltfilt.js';

const api = {
  sosfiltfilt(sos: Float64Array, block: Matrix, options: SosfiltfiltOptions) {
    const y = sosfiltfilt(sos, block, options);
    return Comlink.transfer(y, [y.data.buffer]);
  },
};
export type FilterWorkerApi = typeof api;

exposeWorker(api);
