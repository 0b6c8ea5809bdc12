import { createPackagePool, type PackagePoolOptions, type WorkerPool } from '@spyglass-wasm/core';
import type { FilterWorkerApi } from '../workers/filter-worker.js';
import { defaultFilterWorker } from './filter-worker-source.node.js';

/**
 * A pool of filter workers (worker_threads in Node, module Web Workers in browsers). By default
 * each runs the package's worker (`@spyglass-wasm/dsp-wasm/worker`, next to the bundle, which
 * vite and webpack emit on their own); with a bundler that does not follow
 * `new URL(..., import.meta.url)` (esbuild), bundle that export as its own entry and pass
 * `worker: new URL('./worker.js', import.meta.url)`. Rejects with a WorkerError if the worker
 * cannot load.
 *
 * @example
 * const pool = await createFilterPool({ size: 2 });
 * const y = await sosfiltfiltParallel(sos, recording, { pool });
 * await pool.terminate();
 */
export function createFilterPool(options: PackagePoolOptions = {}): Promise<WorkerPool<FilterWorkerApi>> {
  return createPackagePool<FilterWorkerApi>(options, defaultFilterWorker);
}
