import type { WorkerSource } from '@spyglass-wasm/core';

/**
 * In browsers: dist/worker.js beside this bundle (every import bundled in), as a module worker.
 * Written as `new Worker(new URL(...), { type: 'module' })` so vite and webpack emit the worker.
 */
export function defaultFilterWorker(): WorkerSource {
  return () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}
