import { ParameterError } from '../errors/parameter-error.js';
import { WorkerPool, type WorkerPoolOptions, type WorkerSource } from './worker-pool.js';

/** Options of a package's worker pool (createFilterPool, createSortPool). */
export interface PackagePoolOptions extends WorkerPoolOptions {
  /**
   * The worker to run instead of the package's own: its script's URL, or a function that creates
   * one worker. For bundlers that do not follow `new URL(..., import.meta.url)` (esbuild), bundle
   * the package's `/worker` export as its own entry and pass its URL.
   */
  worker?: WorkerSource;
}

/**
 * A pool running a package's self-contained worker, or the one `options.worker` names. The one
 * piece every package pool shares: `packageWorker` is only the package's default, written in the
 * package itself as `new Worker(new URL('./x.js', import.meta.url), { type: 'module' })` so
 * that bundlers see and emit it. Rejects with a WorkerError if a worker cannot load.
 *
 * @example
 * export const createFilterPool = (options: PackagePoolOptions = {}) =>
 *   createPackagePool<FilterWorkerApi>(options, defaultFilterWorker);
 */
export function createPackagePool<T>(
  options: PackagePoolOptions,
  packageWorker: () => WorkerSource,
): Promise<WorkerPool<T>> {
  const { worker, ...poolOptions } = options;
  if (worker !== undefined && !isWorkerSource(worker))
    return Promise.reject(
      new ParameterError('worker', 'a URL, a string or a function that creates one Worker per slot', worker),
    );
  return WorkerPool.create<T>(worker ?? packageWorker(), poolOptions);
}

function isWorkerSource(value: unknown): value is WorkerSource {
  return value instanceof URL || typeof value === 'string' || typeof value === 'function';
}
