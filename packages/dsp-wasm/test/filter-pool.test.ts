// The filter pool on worker_threads, with the self-contained worker the package builds
// (dist/worker.node.mjs: needs npm run build) and with a worker that cannot load.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkerError } from '@spyglass-wasm/core';
import { butter, createFilterPool, sosfiltfilt, sosfiltfiltParallel } from '../src/index.js';

const BUILT_WORKER = new URL('../dist/worker.node.mjs', import.meta.url);

function recording(rows: number, cols: number) {
  const data = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.37) + ((i * 7919) % 13) / 13);
  return { data, rows, cols };
}

describe('createFilterPool (worker_threads)', () => {
  const sos = butter(4, [600, 6000], { btype: 'bandpass', fs: 30000 });

  it('the built worker imports nothing by name: every import is bundled in', () => {
    const code =
      readFileSync(BUILT_WORKER, 'utf8') + readFileSync(new URL('../dist/worker.js', import.meta.url), 'utf8');
    // only Node built-ins (worker_threads, behind the Node branch) may stay imports
    const imports = [...code.matchAll(/(?:from\s*|import\s*\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(imports.filter((name) => !/^(node:)?(worker_threads|os)$/.test(name))).toEqual([]);
  });

  it('filters blocks of channels in 2 workers, equal to one thread', async () => {
    const pool = await createFilterPool({ size: 2, worker: BUILT_WORKER });
    try {
      const x = recording(3000, 5);
      const y = await sosfiltfiltParallel(sos, x, { pool });
      expect(Array.from(y.data)).toEqual(Array.from(sosfiltfilt(sos, x).data));
    } finally {
      await pool.terminate();
    }
  });

  it('the built package finds its worker with no option', async () => {
    const built = await import(new URL('../dist/index.js', import.meta.url).href);
    const pool = await built.createFilterPool({ size: 1 });
    try {
      const x = recording(500, 2);
      const y = await built.sosfiltfiltParallel(sos, x, { pool });
      expect(Array.from(y.data)).toEqual(Array.from(sosfiltfilt(sos, x).data));
    } finally {
      await pool.terminate();
    }
  });

  it('a worker that cannot load rejects with a WorkerError', async () => {
    const missing = createFilterPool({ size: 2, worker: new URL('../dist/no-such-worker.js', import.meta.url) });
    await expect(missing).rejects.toBeInstanceOf(WorkerError);
    await expect(missing).rejects.toThrow(/no-such-worker\.js failed to load/);
  });
});
