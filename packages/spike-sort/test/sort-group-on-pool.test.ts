// One group sorted on a pool, its matching split by time spans (sortGroupOnPool), against sortGroup
// on this thread: the same sorting to the bit. Workers load the built dist/sort-worker.node.mjs.
import { describe, expect, it } from 'vitest';
import type { WorkerPool } from '@spyglass-wasm/core';
import { simulateRecording } from '@spyglass-wasm/sim';
import { ParameterError } from '@spyglass-wasm/core';
import { createSortPool, matchTemplates, sortGroup, sortGroupOnPool, type SortWorkerApi } from '../src/index.js';
import {
  accumulateGroup,
  learnGroup,
  learnGroupShared,
  matchSettings,
  type GroupShares,
} from '../src/sort/sort-group.js';
import { whiten } from '@spyglass-wasm/dsp-wasm';
import { splitBranches } from '../src/cluster/branch-split.js';
import { noiseOverlapOf } from '../src/sort/sorting-accumulator.js';
import { quietCuts } from '../src/workers/sort-group-on-pool.js';

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
      // learning's two branch splits (the clusters', the matched units') each shared with the other worker
      expect(calls.filter((c) => c === 'splitBranches')).toHaveLength(2);
      // and the whitening, while the learning worker detects
      expect(calls.filter((c) => c === 'whiten')).toHaveLength(1);
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
      // no other worker to share learning with
      expect(calls).not.toContain('splitBranches');
      expect(calls).not.toContain('whiten');
    } finally {
      await pool.terminate();
    }
  }, 120_000);

  // each learning worker would wait for a share queued behind the other's learning, were shares not declined then
  it('two groups at once on a pool of 2: neither learning waits for the other’s worker; both sortGroup’s', async () => {
    const recs = [7, 8].map((seed) =>
      simulateRecording({ seed, seconds: 12, units: 4, amplitudes: [80, 120, 160, 220] }),
    );
    const raw = (k: number) => ({ data: recs[k].data.slice(), rows: recs[k].rows, cols: recs[k].channels });
    const here = [0, 1].map((k) => sortGroup(raw(k), { fs: recs[k].fs }));
    const pool = await createSortPool({ size: 2, worker: BUILT_WORKER });
    try {
      const there = await Promise.all([0, 1].map((k) => sortGroupOnPool(pool, raw(k), { fs: recs[k].fs })));
      expect(there).toEqual(here);
    } finally {
      await pool.terminate();
    }
  }, 120_000);
});

describe('quietCuts', () => {
  // detections every 500 rows, with one gap of 3500 rows at 47 500–51 000
  const detections = Int32Array.from({ length: 200 }, (_, i) => (i < 96 ? i * 500 : i * 500 + 3000));

  it('cuts in the middle of the widest gap near an even split when it is wide enough', () => {
    expect(quietCuts(detections, 103_000, 2, 1000, 2000)).toEqual([0, 49_250, 103_000]);
  });

  it('makes no cut where the widest gap is narrower than minGap (the sorting must not depend on workers)', () => {
    expect(quietCuts(detections, 103_000, 2, 1000, 3501)).toEqual([0, 103_000]);
  });
});

describe('matchTemplates on a span of a recording (origin)', () => {
  it('gives the times of matching the whole, to the bit, where summing at the span rows would not', () => {
    const rec = simulateRecording({ seed: 5, seconds: 6, units: 3, amplitudes: [100, 150, 220] });
    const options = { fs: rec.fs };
    const { x, w, noise, learned } = learnGroup({ data: rec.data, rows: rec.rows, cols: rec.channels }, options);
    const match = matchSettings(options, noise);
    const whole = matchTemplates(x, w, learned.templates, match);
    // rows [a, b) of the whole reported from a span with 0.5 s either side
    const a = 2 * rec.fs + 123,
      b = 4 * rec.fs + 77,
      m = rec.fs / 2;
    const span = (y: typeof x) => ({
      data: y.data.slice((a - m) * y.cols, (b + m) * y.cols),
      rows: b - a + 2 * m,
      cols: y.cols,
    });
    const part = (origin?: number) =>
      matchTemplates(span(x), span(w), learned.templates, { ...match, report: [m, b - a + m], origin });
    const inWhole = [...whole.times.keys()].filter((i) => whole.times[i] >= a && whole.times[i] < b);
    expect(inWhole.length).toBeGreaterThan(20);
    const exact = part(a - m);
    expect(Array.from(exact.times, (t) => t + (a - m))).toEqual(inWhole.map((i) => whole.times[i]));
    expect(Array.from(exact.units)).toEqual(inWhole.map((i) => whole.units[i]));
    expect(Array.from(exact.scales)).toEqual(inWhole.map((i) => whole.scales[i]));
    expect(exact.unmatched.map((p) => p.time + (a - m))).toEqual(
      whole.unmatched.filter((p) => p.time >= a && p.time < b).map((p) => p.time),
    );
    // summed at the span's rows, sub-sample times round differently in their last bits
    const local = part();
    expect(Array.from(local.times, (t) => t + (a - m))).not.toEqual(inWhole.map((i) => whole.times[i]));
    expect(() => part(-1)).toThrow(ParameterError);
    expect(() => part(0.5)).toThrow(/origin/);
  });

  it('learnGroupShared on a learning sample: its shares done elsewhere or declined, learnGroup’s templates', async () => {
    const rec = simulateRecording({ seed: 9, seconds: 20, units: 4, amplitudes: [80, 120, 160, 220] });
    const raw = () => ({ data: rec.data.slice(), rows: rec.rows, cols: rec.channels });
    // fewer detections learned than found: learning runs on a sample of 1-s blocks
    const options = { fs: rec.fs, learnSpikes: 600 };
    const whole = learnGroup(raw(), options);
    expect(whole.peaks.length).toBeGreaterThan(600);
    const calls: string[] = [];
    // a declined share's buffer taken first, as a transfer to a worker takes it
    const gone = (buffer: ArrayBufferLike) => void structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
    const shares = (decline: boolean): GroupShares => ({
      splitBranches: async (part) => {
        calls.push('splitBranches');
        return decline ? gone(part.points.data.buffer) : splitBranches(part.points, part.labels, part.options);
      },
      whiten: async (x) => {
        calls.push('whiten');
        return decline ? gone(x.data.buffer) : whiten(x).y;
      },
    });
    // the recording-long x and w compared as bytes (toEqual goes value by value)
    const bytes = (m: { data: Float32Array }) => Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    for (const decline of [false, true]) {
      calls.length = 0;
      const shared = await learnGroupShared(raw(), options, undefined, shares(decline));
      expect(bytes(shared.w).equals(bytes(whole.w)), `declined: ${decline}`).toBe(true);
      expect(bytes(shared.x).equals(bytes(whole.x))).toBe(true);
      expect(shared.learned, `declined: ${decline}`).toEqual(whole.learned);
      expect(shared.peaks).toEqual(whole.peaks);
      expect(shared.noise).toEqual(whole.noise);
      expect(calls.filter((c) => c === 'splitBranches')).toHaveLength(2);
      expect(calls.filter((c) => c === 'whiten')).toHaveLength(1);
    }
  });

  it('SortingAccumulator: noise overlaps computed elsewhere from noiseOverlapJobs give result()', () => {
    const rec = simulateRecording({ seed: 6, seconds: 4, units: 3 });
    const options = { fs: rec.fs };
    const { x, w, noise, learned } = learnGroup({ data: rec.data, rows: rec.rows, cols: rec.channels }, options);
    const matches = matchTemplates(x, w, learned.templates, matchSettings(options, noise));
    const acc = accumulateGroup(x, w, learned, matches, { ...options, noise });
    const own = acc.result();
    const jobs = acc.noiseOverlapJobs();
    expect(jobs).toHaveLength(own.units.length);
    expect(acc.result(Float64Array.from(jobs, noiseOverlapOf))).toEqual(own);
    expect(() => acc.result(new Float64Array(jobs.length + 1))).toThrow(ParameterError);
    expect(() => acc.result(new Float64Array(jobs.length + 1))).toThrow(/noiseOverlaps/);
  });
});
