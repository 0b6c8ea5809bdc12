// sortNwb with one electrode group and a pool of 2 workers: the group's template matching is split in
// time spans over the workers (spike-sort's sortGroupOnPool), and the file sorting is the one of this thread.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { WorkerPool } from '@spyglass-wasm/core';
import { createSortPool, type SortWorkerApi } from '@spyglass-wasm/spike-sort';
import { sortNwb } from '../src/index.js';

const SESSION = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
const BUILT_WORKER = new URL('../../spike-sort/dist/sort-worker.node.mjs', import.meta.url);

describe('sortNwb: one group on a pool', () => {
  it('splits the matching of tetrode0 over 2 workers and gives the sorting of one thread', async () => {
    const here = await sortNwb(SESSION, { group: 'tetrode0' });
    const pool = await createSortPool({ size: 2, worker: BUILT_WORKER });
    const calls: string[] = [];
    // the pool, recording the worker calls made on it
    const spy = {
      size: pool.size,
      run: (task) =>
        pool.run((api) => task(new Proxy(api, { get: (t, k) => (calls.push(String(k)), t[k as keyof typeof t]) }))),
    } as WorkerPool<SortWorkerApi>;
    const fractions: number[] = [];
    try {
      const there = await sortNwb(SESSION, { group: 'tetrode0', pool: spy, onProgress: (f) => fractions.push(f) });
      expect(calls.filter((c) => c === 'matchSpan')).toHaveLength(2);
      expect(calls).not.toContain('sortGroup');
      expect(here.units.length).toBeGreaterThan(3);
      expect(there).toEqual(here);
      expect(fractions.at(-1)).toBe(1);
    } finally {
      await pool.terminate();
    }
  }, 120_000);
});
