import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerError, WorkerPool, splitRange } from '../src/index.js';

interface SumApi {
  sum(values: Float64Array): { sum: number; threadId: number };
  fail(): void;
  die(): void;
}

describe('WorkerPool (worker_threads + comlink)', () => {
  let pool: WorkerPool<SumApi>;
  beforeAll(async () => {
    pool = await WorkerPool.create<SumApi>(new URL('./fixtures/sum-worker.mjs', import.meta.url), { size: 2 });
  });
  afterAll(() => pool.terminate());

  it('splits a job across workers and keeps the order of results', async () => {
    const n = 1000;
    const data = Float64Array.from({ length: n }, (_, i) => i);
    const parts = splitRange(n, 8);
    const results = await pool.map(parts, (api, r) => api.sum(data.slice(r.start, r.end)));
    expect(results.map((r) => r.sum).reduce((a, b) => a + b)).toBe((n * (n - 1)) / 2);
    results.forEach((r, i) => {
      const { start, end } = parts[i];
      expect(r.sum).toBe(((end - 1) * end) / 2 - ((start - 1) * start) / 2);
    });
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
  });

  it('spread runs every item at once, item i on worker i mod size, where map would wait for a free worker', async () => {
    // each task waits until all five have begun: under map (two at a time) that never happens
    let begun = 0;
    let allBegun!: () => void;
    const barrier = new Promise<void>((resolve) => (allBegun = resolve));
    const results = await pool.spread([1, 2, 3, 4, 5], async (api, x) => {
      const first = await api.sum(Float64Array.of(x));
      if (++begun === 5) allBegun();
      await barrier;
      return first;
    });
    expect(results.map((r) => r.sum)).toEqual([1, 2, 3, 4, 5]);
    results.forEach((r, i) => expect(r.threadId).toBe(results[i % 2].threadId));
    expect(results[0].threadId).not.toBe(results[1].threadId);
    // the workers are free again
    expect((await pool.run((api) => api.sum(Float64Array.of(7)))).sum).toBe(7);
  });

  it('propagates a worker error to the caller and stays usable', async () => {
    await expect(pool.run((api) => api.fail())).rejects.toThrow(/on purpose/);
    const r = await pool.run((api) => api.sum(new Float64Array([1, 2])));
    expect(r.sum).toBe(3);
  });

  it('rejects with a WorkerError, not a hang, when the worker script is missing or throws at start', async () => {
    const missing = WorkerPool.create(new URL('./fixtures/no-such-worker.mjs', import.meta.url), { size: 2 });
    await expect(missing).rejects.toBeInstanceOf(WorkerError);
    await expect(missing).rejects.toThrow(/no-such-worker\.mjs failed to load/);
    const throws = WorkerPool.create(new URL('./fixtures/throw-worker.mjs', import.meta.url), { size: 1 });
    await expect(throws).rejects.toThrow(/throw-worker\.mjs failed to load: this worker throws at start on purpose/);
  });

  it('a call on a worker that dies rejects with a WorkerError', async () => {
    const single = await WorkerPool.create<SumApi>(new URL('./fixtures/sum-worker.mjs', import.meta.url), { size: 1 });
    const call = single.run((api) => api.die());
    await expect(call).rejects.toBeInstanceOf(WorkerError);
    await expect(call).rejects.toThrow(/sum-worker\.mjs died: exited with code 3/);
    await single.terminate();
  });

  it('rejects a bad pool size with a ParameterError', async () => {
    await expect(WorkerPool.create('x', { size: 0 })).rejects.toThrow(/parameter 'size'/);
  });
});

describe('splitRange', () => {
  it('covers every item once with no empty part', () => {
    for (const [n, k] of [
      [1, 4],
      [10, 3],
      [64, 2],
      [7, 7],
    ]) {
      const parts = splitRange(n, k);
      expect(parts.length).toBe(Math.min(n, k));
      expect(parts[0].start).toBe(0);
      expect(parts.at(-1)!.end).toBe(n);
      parts.forEach((p, i) => i > 0 && expect(p.start).toBe(parts[i - 1].end));
    }
  });
});
