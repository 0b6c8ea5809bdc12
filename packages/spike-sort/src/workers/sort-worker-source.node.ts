import type { WorkerSource } from '@spyglass-wasm/core';

/**
 * In Node: dist/sort-worker.node.mjs beside this bundle (every import bundled in), on worker_threads.
 * Run from the sources (tests alias the package to src/), the bundle is the built one in dist/.
 */
export function defaultSortWorker(): WorkerSource {
  return import.meta.url.endsWith('/src/workers/sort-worker-source.node.ts')
    ? new URL('../../dist/sort-worker.node.mjs', import.meta.url)
    : new URL('./sort-worker.node.mjs', import.meta.url);
}
