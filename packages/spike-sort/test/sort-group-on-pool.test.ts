// One group sorted on a pool, its matching split by time spans (sortGroupOnPool), against sortGroup
// on this thread: the same sorting to the bit. Workers load the built dist/sort-worker.node.mjs.
import { describe, expect, it } from 'vitest';
import type { WorkerPool } from '@spyglass-wasm/core';
import { simulateRecording } from '@spyglass-wasm/sim';
import { createSortPool, sortGroup, sortGroupOnPool, type SortWorkerApi } from '../src/index.js';

const BUILT_WORKER = new URL('../dist/sort-worker.node.mjs', import.meta.url);

/** A pool that records the worker calls made on it. */
function recording(pool: WorkerPool<SortWorkerApi>, calls: string[]): WorkerPool<SortWorkerApi> {
  return {
    size: pool.size,
    run: (task) =>
      pool.run((api) =>
        task(new Proxy(api, { get: (t, name) => (calls.push(String(name)), t[name as keyof typeof t]) })),
      ),
  } as WorkerPool<SortWorkerApi>;
}

describe('sortGroupOnPool', () => {
  it('matches a tetrode in 2 time spans on 2 workers and gives sortGroup’s sorting to the bit', async () => {
    const rec = simulateRecording({ seed: 3, seconds: 12, units: 4, amplitudes: [80, 120, 160, 220] });
    const raw = () => ({ data: rec.data.slice(), rows: rec.rows, cols: rec.channels });
    const here = sortGroup(raw(), { fs: rec.fs });
    const pool = await createSortPool({ size: 2, worker: BUILT_WORKER });
    const calls: string[] = [];
    const progress: number[] = [];
    try {
      const there = await sortGroupOnPool(recording(pool, calls), raw(), {
        fs: rec.fs,
        onProgress: (f) => progress.push(f),
      });
      expect(calls.filter((c) => c === 'matchSpan')).toHaveLength(2);
      // the units' noise overlaps in two parts, one per worker
      expect(calls.filter((c) => c === 'noiseOverlaps')).toHaveLength(2);
      expect(here.units.length).toBeGreaterThanOrEqual(4);
      // every array to the bit: spike times, templates, labels, detections, features, noise overlaps, merges
      expect(there).toEqual(here);
      expect(progress.at(-1)).toBe(1);
      for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);
    } finally {
      await pool.terminate();
    }
  }, 120_000);

  it('a pool of one worker matches in one span, the same sorting', async () => {
    const rec = simulateRecording({ seed: 4, seconds: 4, units: 3 });
    const raw = () => ({ data: rec.data.slice(), rows: rec.rows, cols: rec.channels });
    const here = sortGroup(raw(), { fs: rec.fs, whiten: false });
    const pool = await createSortPool({ size: 1, worker: BUILT_WORKER });
    const calls: string[] = [];
    try {
      expect(await sortGroupOnPool(recording(pool, calls), raw(), { fs: rec.fs, whiten: false })).toEqual(here);
      expect(calls.filter((c) => c === 'matchSpan')).toHaveLength(1);
    } finally {
      await pool.terminate();
    }
  }, 120_000);
});
