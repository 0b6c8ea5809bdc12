// Progress of the in-memory sort: reported from inside the matching loops, only increasing, ending
// at 1, and the same sorting with or without it.
import { describe, expect, it } from 'vitest';
import { Comlink, createRng } from '@spyglass-wasm/core';
import { simulateStream } from '@spyglass-wasm/sim';
import {
  createSortPool,
  detectionGeometry,
  detectPeaks,
  frontEnd,
  isosplit,
  learnTemplates,
  matchTemplates,
  noiseLevels,
  sortGroup,
  splitBranches,
} from '../src/index.js';

const BUILT_WORKER = new URL('../dist/sort-worker.node.mjs', import.meta.url);

function expectProgress(progress: number[]) {
  expect(progress.at(-1)).toBe(1);
  for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);
  for (const f of progress) expect(f).toBeGreaterThanOrEqual(0);
}

describe('sortGroup({ onProgress })', () => {
  const s = simulateStream({ seed: 2, seconds: 20, units: 6, amplitudes: [40, 60, 80, 110, 150, 200] });
  const x = s.read(0, s.rows);

  it('reports from inside the loops: many increasing fractions ending at 1, the same sorting', () => {
    const progress: number[] = [];
    const sorting = sortGroup(x, { fs: s.fs, onProgress: (f) => progress.push(f) });
    expectProgress(progress);
    // 7 steps and 6 clustering steps give 13 reports between steps; the rest come from the loops
    expect(progress.length).toBeGreaterThan(20);
    expect(sorting.units.map((u) => Array.from(u.samples))).toEqual(
      sortGroup(x, { fs: s.fs }).units.map((u) => Array.from(u.samples)),
    );
  }, 120_000);

  it('learnTemplates and matchTemplates report every few hundred detections of each pass', () => {
    const f = frontEnd(x, s.fs);
    const noise = noiseLevels(f);
    const { before, after, sweep, threshold } = detectionGeometry(s.fs);
    const peaks = detectPeaks(f, { noise, threshold, sweep, margin: after + 2 });
    const learning: number[] = [];
    const common = { fs: s.fs, before, after, components: 8, seed: 1, noiseClass: false, noise, threshold, sweep };
    const learned = learnTemplates(f, f, peaks, { ...common, onProgress: (v) => learning.push(v) });
    expectProgress(learning);
    const progress: number[] = [];
    const matches = matchTemplates(f, f, learned.templates, {
      noise,
      threshold,
      sweep,
      onProgress: (v) => progress.push(v),
    });
    expectProgress(progress);
    // more than 1000 detections fitted in the first pass: at least 4 reports from inside its loop
    expect(matches.times.length).toBeGreaterThan(1000);
    expect(progress.filter((v) => v > 0 && v < 0.85 / 3).length).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('on a pool, progress comes back from the worker (Comlink.proxy as the third argument)', async () => {
    const pool = await createSortPool({ size: 1, worker: BUILT_WORKER });
    try {
      const progress: number[] = [];
      const sorting = await pool.run((api) =>
        api.sortGroup(
          x,
          { fs: s.fs },
          Comlink.proxy((f: number) => progress.push(f)),
        ),
      );
      expect(sorting.units.length).toBeGreaterThan(0);
      // the last report may arrive just after the result: wait for it
      for (let i = 0; i < 100 && progress.at(-1) !== 1; i++) await new Promise((r) => setTimeout(r, 10));
      expectProgress(progress);
      expect(progress.length).toBeGreaterThan(20);
    } finally {
      await pool.terminate();
    }
  }, 120_000);
});

describe('isosplit and splitBranches report from inside their loops', () => {
  /** Three blobs in 4-D, 400 points each (over-clustered by k-means, then merged back). */
  function blobs() {
    const rng = createRng(7),
      n = 1200,
      d = 4;
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) data[i * d + j] = (j === 0 ? 12 * (i % 3) : 0) + rng.normal();
    return { data, rows: n, cols: d };
  }
  it('isosplit: increasing fractions ending at 1, several before the end, the same labels', () => {
    const points = blobs();
    const progress: number[] = [];
    const labels = isosplit(points, { seed: 3, onProgress: (f) => progress.push(f) });
    expectProgress(progress);
    expect(progress.filter((f) => f > 0 && f < 1).length).toBeGreaterThanOrEqual(5);
    expect(Array.from(labels)).toEqual(Array.from(isosplit(points, { seed: 3 })));
  });
  it('splitBranches: a report per cluster examined, ending at 1, the same labels', () => {
    const points = blobs();
    const start = Int32Array.from({ length: points.rows }, (_, i) => i % 3);
    const progress: number[] = [];
    const labels = splitBranches(points, start, { minSize: 60, onProgress: (f) => progress.push(f) });
    expectProgress(progress);
    expect(progress.filter((f) => f > 0 && f < 1).length).toBeGreaterThanOrEqual(2);
    expect(Array.from(labels)).toEqual(Array.from(splitBranches(points, start, { minSize: 60 })));
  });
});
