import type { WorkerSource } from '@spyglass-wasm/core';

/** In Node: dist/worker.node.mjs beside this bundle (every import bundled in), on worker_threads. */
export function defaultFilterWorker(): WorkerSource {
  return new URL('./worker.node.mjs', import.meta.url);
}
