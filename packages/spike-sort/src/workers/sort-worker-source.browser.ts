import type { WorkerSource } from '@spyglass-wasm/core';

/**
 * In browsers: dist/sort-worker.js beside this bundle (every import and the Wasm bundled in), as a
 * module worker. Written as `new Worker(new URL(...), { type: 'module' })` so vite and webpack emit it.
 */
export function defaultSortWorker(): WorkerSource {
  return () => new Worker(new URL('./sort-worker.js', import.meta.url), { type: 'module' });
}
