import type { WorkerSource } from '@spyglass-wasm/core';

/** In Node: dist/sort-worker.node.mjs beside this bundle (every import bundled in), on worker_threads. */
export function defaultSortWorker(): WorkerSource {
  return new URL('./sort-worker.node.mjs', import.meta.url);
}
