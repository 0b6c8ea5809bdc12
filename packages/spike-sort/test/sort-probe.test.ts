// Probes sorted by neighbourhoods (sortProbe): the plan, unit ownership, streamed and whole
// neighbourhoods, and the same result on a worker pool as on this thread (the built worker:
// dist/sort-worker.node.mjs, needs npm run build).
import { describe, expect, it } from 'vitest';
import type { WorkerPool } from '@spyglass-wasm/core';
import { simulateStream } from '@spyglass-wasm/sim';
import { sortNeighbourhood, type NeighbourhoodJob } from '../src/probe/sort-neighbourhood.js';
import type { SortWorkerApi } from '../src/workers/sort-worker.js';
import {
  compareToTruth,
  createSortPool,
  keepCoreUnits,
  probeNeighbourhoods,
  sortGroup,
  sortProbe,
  type GroupSorting,
  type ProbeSorting,
} from '../src/index.js';

const BUILT_WORKER = new URL('../dist/sort-worker.node.mjs', import.meta.url);

/** A linear shank, 25 µm pitch (the simulator's), as channels × (x, y) µm. */
const shank = (channels: number) => ({
  data: Float64Array.from({ length: 2 * channels }, (_, i) => (i % 2) * 25 * (i >> 1)),
  rows: channels,
  cols: 2,
});

const summary = (p: ProbeSorting) =>
  p.neighbourhoods.map((n) => ({
    channels: n.channels,
    units: n.sorting.units.map((u) => ({ samples: Array.from(u.samples), peak: u.peakChannel })),
    labels: Array.from(n.sorting.labels),
  }));

describe('probeNeighbourhoods', () => {
  it('cuts a shank into cores of consecutive channels, each with the channels within the margin', () => {
    const plan = probeNeighbourhoods(shank(20), { coreChannels: 8, marginUm: 50 });
    expect(plan.map((n) => n.core)).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [8, 9, 10, 11, 12, 13, 14, 15],
      [16, 17, 18, 19],
    ]);
    expect(plan[1].channels).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(plan[0].channels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // every channel is in exactly one core
    expect(plan.flatMap((n) => n.core).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('orders channels along the probe whatever their column order', () => {
    const p = shank(4);
    const reversed = { ...p, data: Float64Array.from([0, 75, 0, 50, 0, 25, 0, 0]) };
    expect(probeNeighbourhoods(reversed, { coreChannels: 2, marginUm: 0 }).map((n) => n.core)).toEqual([
      [2, 3],
      [0, 1],
    ]);
  });

  it('rejects a bad option naming it', () => {
    expect(() => probeNeighbourhoods(shank(4), { coreChannels: 0 })).toThrow(/coreChannels/);
  });
});

describe('keepCoreUnits', () => {
  it("keeps the units that peak on the core, their spikes and the core's unmatched detections", () => {
    const rec = simulateStream({ seed: 2, seconds: 6, channels: 8, units: 4 });
    const g: GroupSorting = sortGroup(rec.read(0, rec.rows), { fs: rec.fs, band: [300, 6000] });
    const core = [0, 1, 2, 3];
    const kept = keepCoreUnits(g, core);
    expect(kept.units.every((u) => core.includes(u.peakChannel))).toBe(true);
    expect(kept.units.length).toBe(g.units.filter((u) => core.includes(u.peakChannel)).length);
    expect(kept.labels.length).toBe(kept.peaks.length);
    expect(kept.features.length).toBe(kept.peaks.length * kept.components);
    expect(kept.noiseOverlaps.length).toBe(kept.units.length);
    kept.units.forEach((u, i) => expect(kept.labels.filter((l) => l === i).length).toBe(u.samples.length));
  });
});

/** A pool that runs every task here, on `api` (for recording the jobs sortProbe hands out). */
const standInPool = <A>(api: A) => {
  const each = <I>(items: readonly I[], fn: (a: A, item: I, i: number) => unknown) =>
    Promise.all(items.map((item, i) => fn(api, item, i)));
  return {
    size: 2,
    run: (fn: (a: A) => unknown) => fn(api),
    map: each,
    spread: each,
  } as unknown as WorkerPool<SortWorkerApi>;
};

describe('sortProbe', () => {
  const rec = simulateStream({ seed: 4, seconds: 10, channels: 24, units: 8 });
  const source = { rows: rec.rows, fs: rec.fs, read: (a: number, b: number) => rec.read(a, b) };
  const options = { positions: shank(24), coreChannels: 8 };

  it('each neighbourhood learns from at most 4000 detections unless learnSpikes says otherwise', async () => {
    // a stand-in pool that records the jobs it is given (no sorting)
    const jobsOf = async (extra: { learnSpikes?: number }) => {
      const jobs: NeighbourhoodJob[] = [];
      const api = {
        sortNeighbourhood: async (job: NeighbourhoodJob) => (jobs.push(job), { units: [] }),
      };
      const pool = standInPool(api);
      await sortProbe(source, { ...options, ...extra, pool });
      return jobs.map((j) => j.options.learnSpikes);
    };
    expect(await jobsOf({})).toEqual([4000, 4000, 4000]);
    expect(await jobsOf({ learnSpikes: 6000 })).toEqual([6000, 6000, 6000]);
  });

  it('finds the units of a 24-channel shank', async () => {
    const probe = await sortProbe(source, options);
    expect(probe.neighbourhoods.length).toBe(3);
    const found = probe.neighbourhoods.flatMap((n) => n.sorting.units.map((u) => u.samples));
    const scores = compareToTruth(
      rec.units.map((u) => u.spikeTimes),
      found.map((s) => Float64Array.from(s, (t) => t / rec.fs)),
    );
    const good = scores.filter((s) => s.accuracy >= 0.8).length;
    expect(good).toBeGreaterThanOrEqual(6);
    // a unit in an overlap is reported by one neighbourhood (some come in pieces on 10 s)
    expect(found.length).toBeLessThanOrEqual(2 * rec.units.length);
  }, 120_000);

  it('a whole neighbourhood read in windows (chunkSeconds) sorts as one read at once', async () => {
    const once = await sortProbe(source, options);
    const windows = await sortProbe(source, { ...options, chunkSeconds: 1 });
    expect(summary(windows)).toEqual(summary(once));
  }, 120_000);

  it('reads the recording once per batch of whole neighbourhoods, not once per neighbourhood', async () => {
    const counted = (reads: number[]) => ({
      ...source,
      read: (a: number, b: number) => (reads.push(a), rec.read(a, b)),
    });
    // 1-s windows of 24 channels (2.9 MB), a cache that holds none: every read goes to the source
    const small = { ...options, chunkSeconds: 1, cacheBytes: 0 };
    const together: number[] = [],
      apart: number[] = [];
    const one = await sortProbe(counted(together), small);
    const each = await sortProbe(counted(apart), { ...small, batchBytes: 0 });
    expect(together.length).toBe(10); // 10 windows, once for the 3 neighbourhoods
    expect(apart.length).toBe(30); // a batch per neighbourhood
    expect(summary(one)).toEqual(summary(each));
  }, 120_000);

  it('reads streamed neighbourhoods that learn from every chunk once per batch too, whatever the batches', async () => {
    const counted = (reads: number[]) => ({
      ...source,
      read: (a: number, b: number) => (reads.push(a), rec.read(a, b)),
    });
    // streamed in 1-s chunks, all 10 learned from: each neighbourhood reads all its rows as it starts
    const streamed = { ...options, inMemoryBytes: 0, chunkSeconds: 1, learnSeconds: 10, cacheBytes: 0 };
    const together: number[] = [],
      apart: number[] = [];
    const one = await sortProbe(counted(together), streamed);
    const each = await sortProbe(counted(apart), { ...streamed, batchBytes: 0 });
    expect(together.length).toBe(10);
    expect(apart.length).toBe(30);
    expect(summary(one)).toEqual(summary(each));
  }, 120_000);

  it('rejects a bad batchBytes naming it, before reading', async () => {
    const reads: number[] = [];
    const counted = { ...source, read: (a: number, b: number) => (reads.push(a), rec.read(a, b)) };
    await expect(sortProbe(counted, { ...options, batchBytes: -1 })).rejects.toThrow(/batchBytes/);
    expect(reads).toEqual([]);
  });

  it('streamed neighbourhoods (a window at a time) find the same units', async () => {
    const probe = await sortProbe(source, { ...options, inMemoryBytes: 0, chunkSeconds: 2, learnSeconds: 10 });
    const found = probe.neighbourhoods.flatMap((n) => n.sorting.units.map((u) => u.samples));
    const scores = compareToTruth(
      rec.units.map((u) => u.spikeTimes),
      found.map((s) => Float64Array.from(s, (t) => t / rec.fs)),
    );
    expect(scores.filter((s) => s.accuracy >= 0.8).length).toBeGreaterThanOrEqual(6);
  }, 120_000);

  it('streamed neighbourhoods, sorted side by side, read each window once and sort as each would alone', async () => {
    const streamed = { ...options, inMemoryBytes: 0, chunkSeconds: 2, learnSeconds: 4 };
    const reads: [number, number][] = [];
    const counted = { ...source, read: (a: number, b: number) => (reads.push([a, b]), rec.read(a, b)) };
    const probe = await sortProbe(counted, streamed);
    // every 2-s window of every channel once while matching (the learning chunks' reads, cached, before)
    const step = 2 * rec.fs;
    const windows = reads.filter(([a, b]) => a % step === 0 && b - a === step);
    expect(windows.map(([a]) => a / step)).toEqual([0, 1, 2, 3, 4]);
    // each neighbourhood alone: the job sortProbe gives it, its learning chunks held (sortStream's default)
    const jobs: NeighbourhoodJob[] = [];
    const recorder = standInPool({
      sortNeighbourhood: async (job: NeighbourhoodJob) => (jobs.push(job), { units: [], peaks: [], labels: [] }),
    });
    await sortProbe(source, { ...streamed, pool: recorder });
    expect(jobs.map((j) => j.reads)).toEqual(['reread', 'reread', 'reread']);
    for (const [i, n] of probe.neighbourhoods.entries()) {
      const read = (a: number, b: number) => {
        const x = rec.read(a, b);
        const data = new Float32Array((b - a) * n.channels.length);
        for (let r = 0; r < b - a; r++)
          n.channels.forEach((c, k) => (data[r * n.channels.length + k] = x.data[r * x.cols + c]));
        return { data, rows: b - a, cols: n.channels.length };
      };
      const alone = await sortNeighbourhood({ ...jobs[i], reads: 'hold' }, read);
      expect(summary({ neighbourhoods: [{ ...n, sorting: alone }] })).toEqual(
        summary({ neighbourhoods: [probe.neighbourhoods[i]] }),
      );
    }
  }, 300_000);

  it('gives the same result on 2 workers as on this thread, whole, streamed and in step', async () => {
    const pool = await createSortPool({ size: 2, worker: BUILT_WORKER });
    try {
      // whole; streamed, learning from every chunk; streamed in step (learning from 2 of 5)
      for (const learnSeconds of [undefined, 10, 4]) {
        const extra = learnSeconds ? { inMemoryBytes: 0, chunkSeconds: 2, learnSeconds } : {};
        const here = await sortProbe(source, { ...options, ...extra });
        const there = await sortProbe(source, { ...options, ...extra, pool });
        expect(summary(there)).toEqual(summary(here));
      }
    } finally {
      await pool.terminate();
    }
  }, 300_000);
});
