import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/sim';
import { isolationScore, noiseOverlap } from '../src/index.js';

const L = 30, C = 4, d = L * C;
const rng = createRng(4);
const noiseClip = () => Float32Array.from({ length: d }, () => 10 * rng.normal());
const clips = new Float32Array(400 * d);
for (let i = 0; i < 400; i++) clips.set(noiseClip(), i * d);
const unit = (amplitude: number, n: number) => {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const w = noiseClip();
    for (let s = 0; s < L; s++) for (let c = 0; c < C; c++) w[s * C + c] += -amplitude * Math.exp(-0.5 * ((s - 10) / 2) ** 2) * [1, 0.6, 0.4, 0.2][c];
    out.set(w, i * d);
  }
  return out;
};

describe('noise overlap (nn_noise_overlap)', () => {
  it('is near 0 for a unit well above the noise, near 0.5 for a unit made of noise', () => {
    expect(noiseOverlap(unit(120, 300), clips, { length: L, channels: C })).toBeLessThan(0.05);
    expect(noiseOverlap(unit(0, 300), clips, { length: L, channels: C })).toBeGreaterThan(0.35);
  });
  it('grows as the unit sinks into the noise, and is NaN below 10 spikes', () => {
    const scores = [120, 30, 10].map((a) => noiseOverlap(unit(a, 200), clips, { length: L, channels: C }));
    expect(scores[0]).toBeLessThan(scores[1]);
    expect(scores[1]).toBeLessThan(scores[2]);
    expect(noiseOverlap(unit(120, 9), clips, { length: L, channels: C })).toBeNaN();
  });
  it('is seeded: the same inputs give the same score', () => {
    const u = unit(20, 200);
    expect(noiseOverlap(u, clips, { length: L, channels: C, seed: 3 })).toBe(noiseOverlap(u, clips, { length: L, channels: C, seed: 3 }));
  });
});

describe('isolationScore', () => {
  it('is 1 for two groups apart, about 0.5 for one group split in two, and symmetric', () => {
    const apart = Float32Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 100) + rng.normal());
    expect(isolationScore(apart, 100, 100, 1, 5)).toBe(1);
    const mixed = Float32Array.from({ length: 400 }, () => rng.normal());
    expect(Math.abs(isolationScore(mixed, 200, 200, 1, 5) - 0.5)).toBeLessThan(0.08);
    const uneven = Float32Array.from({ length: 150 }, (_, i) => (i < 100 ? 0 : 1) + rng.normal());
    const swapped = Float32Array.from([...uneven.subarray(100), ...uneven.subarray(0, 100)]);
    expect(isolationScore(uneven, 100, 50, 1, 5)).toBeCloseTo(isolationScore(swapped, 50, 100, 1, 5), 10);
  });
});
