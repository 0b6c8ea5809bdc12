import type { WorkerSource } from '@spyglass-wasm/core';

/** In Node: dist/worker.node.js beside this bundle (every import bundled in), on worker_threads. */
export function defaultFilterWorker(): WorkerSource {
  return new URL('./worker.node.js', import.meta.url);
}
