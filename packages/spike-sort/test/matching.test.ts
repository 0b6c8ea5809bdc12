import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { detectPeaks, secondModeCut, matchTemplates, type TemplateSet } from '../src/index.js';

// Two units on 4 channels with different channel patterns; every third spike of unit B falls
// 0.3 ms after a spike of unit A, so the pair is one detection in the raw data.
const C = 4,
  L = 60,
  before = 20,
  fs = 30000;
const shape = (k: number) =>
  -Math.exp(-0.5 * ((k - before) / 5) ** 2) + 0.3 * Math.exp(-0.5 * ((k - before - 15) / 10) ** 2);
const gains = [
  [1, 0.6, 0.3, 0.1],
  [0.2, 0.5, 1, 0.7],
];
const amps = [120, 80];

function recording(seed: number) {
  const rng = createRng(seed);
  const rows = fs * 5;
  const data = new Float32Array(rows * C);
  for (let i = 0; i < data.length; i++) data[i] = 8 * rng.normal();
  const truth: { time: number; unit: number }[] = [];
  for (let t = 1000; t < rows - 1000; t += 600) {
    truth.push({ time: t, unit: 0 });
    if ((t / 600) % 3 < 1) truth.push({ time: t + 9, unit: 1 });
    else truth.push({ time: t + 300, unit: 1 });
  }
  for (const s of truth)
    for (let k = 0; k < L; k++)
      for (let c = 0; c < C; c++) data[(s.time - before + k) * C + c] += amps[s.unit] * gains[s.unit][c] * shape(k);
  return { x: { data, rows, cols: C }, truth };
}

function templates(): TemplateSet {
  const t = new Float32Array(2 * L * C);
  for (let u = 0; u < 2; u++)
    for (let k = 0; k < L; k++) for (let c = 0; c < C; c++) t[(u * L + k) * C + c] = amps[u] * gains[u][c] * shape(k);
  return { filtered: t, whitened: t.map((v) => v / 8), units: 2, length: L, channels: C, before };
}

describe('template matching with subtraction', () => {
  it('finds both spikes of a collision, each with its unit; detection alone sees one', () => {
    const { x, truth } = recording(3);
    const w = { ...x, data: x.data.map((v) => v / 8) };
    const noise = [8, 8, 8, 8];
    const collided = truth.filter((s, i) => s.unit === 1 && s.time - truth[i - 1].time === 9);
    const peaks = detectPeaks(x, { noise, threshold: 5, sweep: 15 });
    expect(collided.filter((s) => peaks.some((p) => Math.abs(p.time - s.time) < 2)).length).toBeLessThan(
      collided.length / 4,
    );
    const m = matchTemplates(x, w, templates(), { noise, threshold: 5, sweep: 15 });
    const found = (s: { time: number; unit: number }) =>
      [...m.times].some((t, i) => Math.abs(t - s.time) < 1 && m.units[i] === s.unit);
    expect(truth.filter(found).length / truth.length).toBeGreaterThan(0.99);
    expect(collided.filter(found).length / collided.length).toBeGreaterThan(0.97);
    expect(m.times.length).toBeLessThanOrEqual(truth.length + 2); // no spurious spikes from residuals
    for (const s of m.scales) expect(Math.abs(s - 1)).toBeLessThan(0.25);
  });

  it('leaves an event no template explains at a plausible amplitude unmatched', () => {
    const { x } = recording(4);
    const w = { ...x, data: x.data.map((v) => v / 8) };
    const t = templates();
    const m = matchTemplates(
      x,
      w,
      { ...t, scaleRange: Float64Array.of(1.5, 2, 1.5, 2) },
      { noise: [8, 8, 8, 8], threshold: 5, sweep: 15 },
    );
    expect(m.times.length).toBe(0);
    expect(m.unmatched.length).toBeGreaterThan(100);
  });
});

describe('secondModeCut', () => {
  const rng = createRng(9);
  it('cuts between a unit and a smaller population of the same shape', () => {
    const v = [
      ...Array.from({ length: 400 }, () => 1 + 0.07 * rng.normal()),
      ...Array.from({ length: 60 }, () => 0.6 + 0.05 * rng.normal()),
    ];
    const { cut, side } = secondModeCut(v)!;
    expect(side).toBe('below');
    expect(cut).toBeGreaterThan(0.7);
    expect(cut).toBeLessThan(0.88);
  });
  it('cuts off a rarer, larger population above', () => {
    const v = [
      ...Array.from({ length: 400 }, () => 1 + 0.07 * rng.normal()),
      ...Array.from({ length: 60 }, () => 1.4 + 0.06 * rng.normal()),
    ];
    const { cut, side } = secondModeCut(v)!;
    expect(side).toBe('above');
    expect(cut).toBeGreaterThan(1.12);
    expect(cut).toBeLessThan(1.3);
  });
  it('makes no cut for one population with a tail and outliers', () => {
    const v = [...Array.from({ length: 400 }, () => 1 + 0.08 * rng.normal()), -0.4, 0.2, 0.3, 1.9, 2.2];
    expect(secondModeCut(v)).toBeUndefined();
  });
});
