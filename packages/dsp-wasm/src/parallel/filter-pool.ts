import { WorkerPool, type WorkerPoolOptions } from '@spyglass-wasm/core';
import type { FilterWorkerApi } from '../workers/filter-worker.js';

/** URL of the built filter worker, next to this bundle (dist/workers/filter-worker.js). */
export function filterWorkerUrl(): URL {
  return new URL('./workers/filter-worker.js', import.meta.url);
}

/**
 * A pool of filter workers (worker_threads in Node, Web Workers in browsers).
 *
 * @example
 * const pool = await createFilterPool({ size: 2 });
 * const y = await sosfiltfiltParallel(sos, recording, { pool });
 * await pool.terminate();
 */
export function createFilterPool(options: WorkerPoolOptions & { url?: URL | string } = {}): Promise<WorkerPool<FilterWorkerApi>> {
  return WorkerPool.create<FilterWorkerApi>(options.url ?? filterWorkerUrl(), options);
}
