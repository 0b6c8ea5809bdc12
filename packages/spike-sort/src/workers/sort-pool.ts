import { WorkerPool, type WorkerPoolOptions } from '@spyglass-wasm/core';
import type { SortWorkerApi } from './sort-worker.js';

/** URL of the built sort worker, next to this bundle (dist/workers/sort-worker.js). */
export function sortWorkerUrl(): URL {
  return new URL('./workers/sort-worker.js', import.meta.url);
}

/**
 * A pool of sorting workers, for `sortNwb(source, { pool })` of @spyglass-wasm/pipelines: electrode groups are sorted
 * in
 * parallel, one per worker at a time.
 *
 * @example
 * const pool = await createSortPool({ size: 2 });
 * const sorting = await sortNwb('session.nwb', { pool }); // @spyglass-wasm/pipelines
 * await pool.terminate();
 */
export function createSortPool(
  options: WorkerPoolOptions & { url?: URL | string } = {},
): Promise<WorkerPool<SortWorkerApi>> {
  return WorkerPool.create<SortWorkerApi>(options.url ?? sortWorkerUrl(), options);
}
