import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { matchTemplates, type Matches, type TemplateSet } from '../src/index.js';

// A large unit A and a small unit B of another channel pattern on 4 channels. A third of A's spikes
// come at 0.6 of its amplitude, below its range (as when another unit's spike overlaps one); B's
// template fits those within B's wide range, though A, even at its least amplitude, explains more.
const C = 4,
  L = 60,
  before = 20,
  fs = 30000,
  noiseUv = 8;
const shape = (k: number) =>
  -Math.exp(-0.5 * ((k - before) / 5) ** 2) + 0.3 * Math.exp(-0.5 * ((k - before - 15) / 10) ** 2);
const gains = [
  [1, 0.6, 0.3, 0.1],
  [0.4, 1, 0.6, 0.3],
];
const amps = [160, 60];

function recording(seed: number) {
  const rng = createRng(seed);
  const rows = fs * 5;
  const data = new Float32Array(rows * C);
  for (let i = 0; i < data.length; i++) data[i] = noiseUv * rng.normal();
  const spikes: { time: number; unit: number; scale: number }[] = [];
  for (let t = 1000; t < rows - 1000; t += 600) {
    const i = spikes.length;
    spikes.push(i % 3 === 0 ? { time: t, unit: 0, scale: 0.6 } : { time: t, unit: i % 3 === 1 ? 0 : 1, scale: 1 });
  }
  for (const s of spikes)
    for (let k = 0; k < L; k++)
      for (let c = 0; c < C; c++)
        data[(s.time - before + k) * C + c] += s.scale * amps[s.unit] * gains[s.unit][c] * shape(k);
  return { x: { data, rows, cols: C }, spikes };
}

function templates(): TemplateSet {
  const t = new Float32Array(2 * L * C);
  for (let u = 0; u < 2; u++)
    for (let k = 0; k < L; k++) for (let c = 0; c < C; c++) t[(u * L + k) * C + c] = amps[u] * gains[u][c] * shape(k);
  // A's spikes keep their size; B's learned range is as wide as a small unit's can be
  const scaleRange = Float64Array.of(0.75, 1.33, 0.5, 2);
  return { filtered: t, whitened: t.map((v) => v / noiseUv), units: 2, length: L, channels: C, before, scaleRange };
}

describe('a weak template and a larger unit out of its range', () => {
  it("gives the larger unit's small spikes to it, not to the weak template; the weak unit keeps its own", () => {
    const { x, spikes } = recording(5);
    const w = { ...x, data: x.data.map((v) => v / noiseUv) };
    const match = (belowRange: boolean) =>
      matchTemplates(x, w, templates(), { noise: [8, 8, 8, 8], threshold: 5, sweep: 15, belowRange });
    const unitAt = (m: Matches, time: number) => {
      const i = [...m.times].findIndex((t) => Math.abs(t - time) < 2);
      return i < 0 ? -1 : m.units[i];
    };
    const small = spikes.filter((s) => s.scale < 1),
      weak = spikes.filter((s) => s.unit === 1);
    const count = (m: Matches, spikes: typeof small, unit: number) =>
      spikes.filter((s) => unitAt(m, s.time) === unit).length;
    // without the rule B takes A's small spikes
    const plain = match(false);
    expect(count(plain, small, 1)).toBeGreaterThan(0.9 * small.length);
    const m = match(true);
    expect(count(m, small, 1)).toBeLessThan(0.05 * small.length);
    // left to no unit: A has no amplitude for them
    const unmatched = small.filter((s) => m.unmatched.some((p) => Math.abs(p.time - s.time) < 2));
    expect(unmatched.length).toBeGreaterThan(0.9 * small.length);
    expect(count(m, weak, 1)).toBeGreaterThan(0.95 * weak.length);
    expect(
      count(
        m,
        spikes.filter((s) => s.unit === 0 && s.scale === 1),
        0,
      ),
    ).toBe(
      count(
        plain,
        spikes.filter((s) => s.unit === 0 && s.scale === 1),
        0,
      ),
    );
  });
});
