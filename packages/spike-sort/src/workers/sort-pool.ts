import { createPackagePool, type PackagePoolOptions, type WorkerPool } from '@spyglass-wasm/core';
import type { SortWorkerApi } from './sort-worker.js';
import { defaultSortWorker } from './sort-worker-source.node.js';

/**
 * A pool of sorting workers (worker_threads in Node, module Web Workers in browsers), for
 * `sortNwb(source, { pool })` of @spyglass-wasm/pipelines or `pool.run((api) => api.sortGroup(x, options))`:
 * electrode groups are sorted in parallel, one per worker at a time, with the same result as
 * sortGroup on one thread. By default each worker runs the package's self-contained worker
 * (`@spyglass-wasm/spike-sort/worker`, next to the bundle, which vite and webpack emit on their
 * own); with esbuild, bundle that export as its own entry and pass
 * `worker: new URL('./sort-worker.js', import.meta.url)`. `worker` may also be a function that
 * creates one Worker. Rejects with a WorkerError if a worker cannot load.
 *
 * @example
 * const pool = await createSortPool({ size: 2 });
 * const sorting = await sortNwb('session.nwb', { pool }); // @spyglass-wasm/pipelines
 * await pool.terminate();
 */
export function createSortPool(options: PackagePoolOptions = {}): Promise<WorkerPool<SortWorkerApi>> {
  return createPackagePool<SortWorkerApi>(options, defaultSortWorker);
}
