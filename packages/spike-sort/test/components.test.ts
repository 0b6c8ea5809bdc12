import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { createRng } from '@spyglass-wasm/core';
import {
  amplitudeCutoff,
  autoCurate,
  poissonUpperTail,
  compareToTruth,
  detectPeaks,
  extractMarks,
  extractSnippets,
  firingRate,
  isiViolations,
  isolationMetrics,
  isosplit,
  isUnimodal,
  kmeans,
  labelUnits,
  mergeUnits,
  nearestNeighbourRates,
  presenceRatio,
  splitUnit,
  startCuration,
  type QualityMetrics,
} from '../src/index.js';
import { hungarianMax } from '../src/compare/hungarian.js';
import { chi2Cdf } from '../src/metrics/cluster-metrics.js';
import { ANY_DIP } from '../src/cluster/unimodality.js';

describe('Hungarian assignment', () => {
  it('equals brute force on random small matrices', () => {
    const rng = createRng(5);
    const perms = (n: number): number[][] =>
      n === 1
        ? [[0]]
        : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.int(5);
      const w = Float64Array.from({ length: n * n }, () => rng.int(20));
      const best = Math.max(...perms(n).map((p) => p.reduce((s, j, i) => s + w[i * n + j], 0)));
      const a = hungarianMax(w, n, n);
      expect(Array.from(a).reduce((s, j, i) => s + (j >= 0 ? w[i * n + j] : 0), 0)).toBe(best);
    }
  });
  it('handles rectangular matrices (more sorted units than true ones)', () => {
    expect(Array.from(hungarianMax([1, 9, 0, 8, 7, 0], 2, 3))).toEqual([1, 0]);
  });
});

describe('compareToTruth (SpikeForest accuracy)', () => {
  it('counts matches within 0.4 ms and scores tp / (tp + fn + fp)', () => {
    const truth = [Float64Array.of(1, 2, 3, 4), Float64Array.of(10, 11)];
    const sorted = [Float64Array.of(10.0003, 11.001), Float64Array.of(1.0002, 2, 3.0001, 5)];
    const [a, b] = compareToTruth(truth, sorted);
    expect(a).toMatchObject({ sortedUnit: 1, tp: 3, fn: 1, fp: 1, accuracy: 0.6 });
    expect(b).toMatchObject({ sortedUnit: 0, tp: 1, fn: 1, fp: 1 });
  });
});

describe('metrics', () => {
  it('firing rate, ISI violations (Hill), presence ratio', () => {
    const t = Float64Array.of(0.1, 0.1005, 0.5, 0.501, 30, 100);
    expect(firingRate(t, 120)).toBeCloseTo(0.05, 12);
    const isi = isiViolations(t, 120);
    expect(isi.count).toBe(2);
    expect(isi.ratio).toBeCloseTo(2 / (2 * 6 * 0.0015) / (6 / 120), 9);
    expect(presenceRatio(t, 0, 180)).toBeCloseTo(2 / 3, 12);
    expect(presenceRatio(t, 0, 180, { binDuration: 20 })).toBeCloseTo(3 / 9, 12);
    expect(isiViolations(t, 120, { threshold: 0.0008 }).count).toBe(1);
    expect(() => isiViolations(t, 120, { thresold: 0.002 } as never)).toThrow(/'thresold'/);
  });
  it('amplitude cutoff: ~0 for a full Gaussian, ~0.5 for a half-missing one, NaN when too few', () => {
    const rng = createRng(2);
    const full = Float64Array.from({ length: 20000 }, () => 100 + 10 * rng.normal());
    expect(amplitudeCutoff(full)).toBeLessThan(0.02);
    const cut = full.filter((a) => a > 100);
    expect(amplitudeCutoff(cut)).toBeGreaterThan(0.3);
    expect(amplitudeCutoff(full.slice(0, 100))).toBeNaN();
    expect(amplitudeCutoff(full.slice(0, 100), { bins: 10, minRatio: 5 })).not.toBeNaN();
    expect(() => amplitudeCutoff(full, { nbins: 10 } as never)).toThrow(/'nbins'/);
  });
  it('chi² CDF, isolation distance and L-ratio, nearest-neighbour rates', () => {
    expect(chi2Cdf(3.841458820694124, 1)).toBeCloseTo(0.95, 9);
    expect(chi2Cdf(11.070497693516351, 5)).toBeCloseTo(0.95, 9);
    const rng = createRng(4);
    const n = 400,
      k = 3;
    const f = new Float32Array(n * k);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i < 200 ? 0 : 1;
      for (let j = 0; j < k; j++) f[i * k + j] = rng.normal() + (labels[i] ? 8 : 0);
    }
    const features = { data: f, rows: n, cols: k };
    const iso = isolationMetrics(features, labels, 0);
    expect(iso.isolationDistance).toBeGreaterThan(30);
    expect(iso.lRatio).toBeLessThan(0.01);
    const nn = nearestNeighbourRates(features, labels, 0);
    expect(nn.hitRate).toBeGreaterThan(0.99);
    expect(nn.missRate).toBeLessThan(0.01);
  });
});

describe('unimodality and clustering', () => {
  const rng = createRng(9);
  it('tells one population from two', () => {
    expect(isUnimodal(Float64Array.from({ length: 500 }, () => rng.normal()))).toBe(true);
    expect(isUnimodal(Float64Array.from({ length: 500 }, () => rng.normal() * 2 + rng.uniform()))).toBe(true);
    expect(isUnimodal(Float64Array.from({ length: 500 }, (_, i) => rng.normal() + (i % 2) * 5))).toBe(false);
  });
  it('decides the same on a large cluster, which it fits by its quantiles', () => {
    const n = 20_000;
    expect(isUnimodal(Float64Array.from({ length: n }, () => rng.normal()))).toBe(true);
    expect(isUnimodal(Float64Array.from({ length: n }, () => Math.exp(0.5 * rng.normal())))).toBe(true);
    expect(isUnimodal(Float64Array.from({ length: n }, (_, i) => rng.normal() + (i % 2) * 5))).toBe(false);
    // a small second mode far out (5 %) and two close equal modes (d' = 3) are still found
    expect(isUnimodal(Float64Array.from({ length: n }, (_, i) => rng.normal() + (i % 20 === 0 ? 8 : 0)))).toBe(false);
    const close = Float64Array.from({ length: n }, (_, i) => rng.normal() + (i % 2) * 3);
    expect(isUnimodal(close, { valley: ANY_DIP })).toBe(false);
  });
  it('isosplit finds the number of clusters itself, deterministically', () => {
    const n = 900,
      d = 4;
    const centers = [
      [0, 0, 0, 0],
      [7, 0, 0, 0],
      [0, 7, 0, 0],
    ];
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = centers[i % 3][j] + rng.normal();
    const points = { data: x, rows: n, cols: d };
    const a = isosplit(points, { seed: 3 });
    const tab: Record<string, number> = {};
    for (let i = 0; i < n; i++) tab[`${i % 3}->${a[i]}`] = (tab[`${i % 3}->${a[i]}`] ?? 0) + 1;
    expect(Math.max(...a) + 1, JSON.stringify(tab)).toBe(3);
    expect(Array.from(isosplit(points, { seed: 3 }))).toEqual(Array.from(a));
    const majority = [0, 1, 2].map((c) => {
      const counts = new Map<number, number>();
      for (let j = 0; j < n / 3; j++) counts.set(a[j * 3 + c], (counts.get(a[j * 3 + c]) ?? 0) + 1);
      const [label, count] = [...counts].sort((p, q) => q[1] - p[1])[0];
      expect(count / (n / 3)).toBeGreaterThanOrEqual(0.99); // a point 3.5 σ out may fall to a neighbour
      return label;
    });
    expect(new Set(majority).size).toBe(3);
    const km = kmeans(points, { clusters: 3, seed: 1 });
    expect(Array.from(km)).toEqual(Array.from(kmeans(points, { clusters: 3, seed: 1 })));
    expect(new Set(km).size).toBe(3);
    expect(() => kmeans(points, { k: 3 } as never)).toThrow(/'k': expected no such option of kmeans/);
    expect(() => isosplit(points, { seeds: 3 } as never)).toThrow(/'seeds'/);
    expect(() => isosplit(points, { testSpace: { data: x, rows: n - 1, cols: d } })).toThrow(/'testSpace'/);
  });
});

describe('detection, alignment and marks', () => {
  it('finds the peak with sub-sample precision and aligns snippets on it', () => {
    const rows = 200,
      cols = 2;
    const data = new Float32Array(rows * cols);
    const t0 = 100.3; // true peak between samples
    for (let t = 0; t < rows; t++) {
      data[t * cols] = -50 * Math.exp(-0.5 * ((t - t0) / 2) ** 2);
      data[t * cols + 1] = -20 * Math.exp(-0.5 * ((t - t0) / 2) ** 2);
    }
    const peaks = detectPeaks({ data, rows, cols }, { noise: [5, 5], threshold: 5 });
    expect(peaks.length).toBe(1);
    expect(peaks[0]).toMatchObject({ sample: 100, channel: 0 });
    expect(Math.abs(peaks[0].time - t0)).toBeLessThan(0.05);
    const s = extractSnippets({ data, rows, cols }, peaks, { before: 10, after: 10 });
    expect(s.data[10 * cols]).toBeCloseTo(-50, 0); // the aligned snippet peaks at its centre
    const m = extractMarks({ data, rows, cols }, peaks, { fs: 30000, group: 'tetrode0', startTime: 2 });
    expect(Math.abs(m.times[0] - (2 + t0 / 30000))).toBeLessThan(0.05 / 30000);
    expect(Array.from(m.marks)).toEqual([data[200], data[201]]);
    expect(() => detectPeaks({ data, rows, cols }, { noise: [5] })).toThrow(ParameterError);
  });
});

describe('curation', () => {
  const c0 = startCuration([Float64Array.of(1, 3), Float64Array.of(2), Float64Array.of(5, 6, 7)]);
  it('labels, merges and splits, keeping the parents', () => {
    const merged = mergeUnits(labelUnits(c0, { 2: 'mua' }), [0, 1]);
    expect(merged.spikeTimes.map((s) => Array.from(s))).toEqual([
      [1, 2, 3],
      [5, 6, 7],
    ]);
    expect(merged.parents).toEqual([[0, 1], [2]]);
    expect(merged.labels).toEqual(['unlabeled', 'mua']);
    const split = splitUnit(merged, 1, (_i, t) => t > 5.5);
    expect(split.spikeTimes.map((s) => Array.from(s))).toEqual([[1, 2, 3], [5], [6, 7]]);
    expect(() => mergeUnits(c0, [0])).toThrow(/at least two/);
  });
  it('auto-curates by metric rules', () => {
    const m = (snr: number, isi: number) =>
      ({ snr, isiViolationsRatio: isi, isiViolationsCount: 30 * isi, presenceRatio: 1 }) as QualityMetrics;
    expect(autoCurate(c0, [m(10, 0), m(2, 0), m(8, 3)]).labels).toEqual(['accept', 'noise', 'mua']);
    const rules = [{ metric: 'snr', min: 9, label: 'mua' }] as const;
    expect(autoCurate(c0, [m(10, 0), m(2, 0), m(8, 3)], { rules }).labels).toEqual(['accept', 'mua', 'mua']);
  });
  it('labels mua by a Poisson test of the ISI violations, not by their ratio alone', () => {
    const m = (count: number, ratio: number) =>
      ({ snr: 10, isiViolationsCount: count, isiViolationsRatio: ratio, presenceRatio: 1 }) as QualityMetrics;
    // a sparse unit with 2 violations at ratio 4 (null mean 0.25, p 0.026): chance, below minCount
    // a dense unit with 60 violations at ratio 0.8 (null mean 37.5, p 0.0005): contaminated
    // 40 violations at ratio 0.6 (null mean 33.3, p 0.14): not significant at alpha 0.01
    expect(autoCurate(c0, [m(2, 4), m(60, 0.8), m(40, 0.6)]).labels).toEqual(['accept', 'mua', 'accept']);
    const rules = [{ test: 'isiViolations', alpha: 0.05, minCount: 1, label: 'mua' }] as const;
    expect(autoCurate(c0, [m(2, 4), m(60, 0.8), m(40, 0.6)], { rules }).labels).toEqual(['mua', 'mua', 'accept']);
    expect(poissonUpperTail({ count: 5, mean: 1 })).toBeCloseTo(0.00366, 5);
    expect(poissonUpperTail({ count: 0, mean: 3 })).toBe(1);
    expect(poissonUpperTail({ count: 2, mean: 3 })).toBeCloseTo(1 - 4 * Math.exp(-3), 12);
  });
  it.each([
    ['rules[0].alpha', { rules: [{ test: 'isiViolations', alpha: 2, label: 'mua' }] }],
    ['rules[0].label', { rules: [{ test: 'isiViolations', label: 'noise' }] }],
    ['rules[0].count', { rules: [{ test: 'isiViolations', count: 3, label: 'mua' }] }],
    ['rule', { rule: [] }],
    ['rules', { rules: 'snr > 3' }],
    ['rules[0].metric', { rules: [{ metric: 'SNR', min: 3, label: 'noise' }] }],
    ['rules[0].label', { rules: [{ metric: 'snr', min: 3, label: 'bad' }] }],
    [
      'rules[1].mn',
      {
        rules: [
          { metric: 'snr', min: 3, label: 'noise' },
          { metric: 'snr', mn: 3, label: 'mua' },
        ],
      },
    ],
    ['rules[0]', { rules: [{ metric: 'snr', label: 'noise' }] }],
    ['rules[0].max', { rules: [{ metric: 'snr', max: '3', label: 'noise' }] }],
  ])('a bad rules option names %s', (name, options) => {
    const metrics = c0.spikeTimes.map(() => ({ snr: 5 }) as QualityMetrics);
    const call = () => autoCurate(c0, metrics, options as never);
    expect(call).toThrow(ParameterError);
    expect(call).toThrow(`parameter '${name}'`);
  });
});
