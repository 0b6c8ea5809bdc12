import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { simulateRecording, sortingRegime } from '@spyglass-wasm/sim';
import {
  compareToTruth,
  neighboursWithin,
  sortGroup,
  extractSnippets,
  isolationScore,
  noiseOverlap,
  qualityMetrics,
  sampleNoiseClips,
  type GroupSorting,
} from '../src/index.js';

const L = 30,
  C = 4,
  d = L * C;
const rng = createRng(4);
const noiseClip = () => Float32Array.from({ length: d }, () => 10 * rng.normal());
const clips = new Float32Array(400 * d);
for (let i = 0; i < 400; i++) clips.set(noiseClip(), i * d);
const unit = (amplitude: number, n: number) => {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const w = noiseClip();
    for (let s = 0; s < L; s++)
      for (let c = 0; c < C; c++)
        w[s * C + c] += -amplitude * Math.exp(-0.5 * ((s - 10) / 2) ** 2) * [1, 0.6, 0.4, 0.2][c];
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
    expect(noiseOverlap(u, clips, { length: L, channels: C, seed: 3 })).toBe(
      noiseOverlap(u, clips, { length: L, channels: C, seed: 3 }),
    );
  });
});

describe('isolationScore', () => {
  it('is 1 for two groups apart, about 0.5 for one group split in two, and symmetric', () => {
    const apart = Float32Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 100) + rng.normal());
    const score = (p: Float32Array, firstGroup: number) =>
      isolationScore({ data: p, rows: p.length, cols: 1 }, { firstGroup, neighbours: 5 });
    expect(score(apart, 100)).toBe(1);
    const mixed = Float32Array.from({ length: 400 }, () => rng.normal());
    expect(Math.abs(score(mixed, 200) - 0.5)).toBeLessThan(0.08);
    const uneven = Float32Array.from({ length: 150 }, (_, i) => (i < 100 ? 0 : 1) + rng.normal());
    const swapped = Float32Array.from([...uneven.subarray(100), ...uneven.subarray(0, 100)]);
    expect(score(uneven, 100)).toBeCloseTo(score(swapped, 50), 10);
  });
});

// A recording by hand: 4 channels of noise (sd 10) and, every 300 samples, a spike of the shape
// above (trough 10 samples after `before`) on every channel.
const B = 10,
  A = 20,
  rows = 200_000;
const recording = (amplitude: number) => {
  const r = createRng(9);
  const data = Float32Array.from({ length: rows * C }, () => 10 * r.normal());
  const peaks = [];
  for (let t = 500; t + A < rows; t += 300 + r.int(50)) {
    for (let s = -B; s < A; s++)
      for (let c = 0; c < C; c++)
        data[(t + s) * C + c] += -amplitude * Math.exp(-0.5 * (s / 2) ** 2) * [1, 0.6, 0.4, 0.2][c];
    peaks.push({ sample: t, time: t, channel: 0, z: 0 });
  }
  return { x: { data, rows, cols: C }, peaks };
};

describe('sampleNoiseClips', () => {
  it('takes clips inside the data, away from every peak, seeded, in time order', () => {
    // A ramp: each value says its own sample and channel, so a clip says where it was taken.
    const x = { data: Float32Array.from({ length: 5000 * 2 }, (_, i) => i), rows: 5000, cols: 2 };
    const peaks = [{ time: 1000.4 }, { time: 3000 }, { time: 200 }];
    const clips = sampleNoiseClips(x, peaks, { before: 5, after: 10, count: 300, seed: 2 });
    expect(clips).toHaveLength(300 * 15 * 2);
    const centres = Array.from({ length: 300 }, (_, i) => clips[i * 30] / 2 + 5);
    for (let i = 0; i < 300; i++) {
      const c = centres[i];
      expect(Number.isInteger(c)).toBe(true);
      for (let k = 0; k < 30; k++) expect(clips[i * 30 + k]).toBe((c - 5) * 2 + k); // contiguous samples x channels
      expect(c).toBeGreaterThanOrEqual(5);
      expect(c).toBeLessThanOrEqual(5000 - 10);
      for (const p of peaks) expect(Math.abs(c - p.time)).toBeGreaterThanOrEqual(15);
      if (i) expect(c).toBeGreaterThan(centres[i - 1]);
    }
    expect(sampleNoiseClips(x, peaks, { before: 5, after: 10, count: 300, seed: 2 })).toEqual(clips);
    expect(sampleNoiseClips(x, peaks, { before: 5, after: 10, count: 300, seed: 3 })).not.toEqual(clips);
  });
  it('gives every free place once when fewer are free than wanted, and exclude 0 takes clips anywhere', () => {
    const x = { data: Float32Array.from({ length: 100 }, (_, i) => i), rows: 100, cols: 1 };
    // Centres 2..97 (before 2, after 3), minus |c - 50| < 40: 2..10 and 90..97, 17 places.
    const few = sampleNoiseClips(x, [{ time: 50 }], { before: 2, after: 3, count: 1000, exclude: 40 });
    expect(Array.from({ length: few.length / 5 }, (_, i) => few[i * 5] + 2)).toEqual([
      ...Array.from({ length: 9 }, (_, i) => 2 + i),
      ...Array.from({ length: 8 }, (_, i) => 90 + i),
    ]);
    const anywhere = sampleNoiseClips(x, [{ time: 50 }], { before: 2, after: 3, count: 1000, exclude: 0 });
    expect(anywhere.length / 5).toBe(96);
    expect(
      sampleNoiseClips({ data: new Float32Array(4), rows: 4, cols: 1 }, [], { before: 2, after: 3, count: 10 }),
    ).toHaveLength(0);
    expect(() => sampleNoiseClips(x, [], { before: -1, after: 3, count: 10 })).toThrow(/before/);
  });
  it('with noiseOverlap: a unit well above the noise scores low, clips of noise taken as a unit score high, the same with the same seed', () => {
    const { x, peaks } = recording(100);
    const waveforms = extractSnippets(x, peaks, { before: B, after: A, subsample: false }).data;
    const clips = sampleNoiseClips(x, peaks, { before: B, after: A, count: 1000, seed: 1 });
    expect(clips.length).toBe(1000 * (B + A) * C);
    const isolated = noiseOverlap(waveforms, clips, { length: B + A, channels: C, seed: 1 });
    expect(isolated).toBeLessThan(0.05);
    const fake = sampleNoiseClips(x, peaks, { before: B, after: A, count: 600, seed: 7 });
    const noisy = noiseOverlap(fake, clips, { length: B + A, channels: C, seed: 1 });
    expect(noisy).toBeGreaterThan(0.35);
    expect(noiseOverlap(fake, clips, { length: B + A, channels: C, seed: 1 })).toBe(noisy);
    // A small unit (SNR about 2) sits between the two.
    const small = recording(20);
    const smallOverlap = noiseOverlap(
      extractSnippets(small.x, small.peaks, { before: B, after: A, subsample: false }).data,
      clips,
      { length: B + A, channels: C, seed: 1 },
    );
    expect(smallOverlap).toBeGreaterThan(isolated);
    expect(smallOverlap).toBeLessThan(noisy);
  });
});

describe('qualityMetrics with noise clips', () => {
  it("computes nnNoiseOverlap from the clips and waveforms given, else takes the sorting's", () => {
    const { x, peaks } = recording(100);
    const waveforms = extractSnippets(x, peaks, { before: B, after: A, subsample: false }).data;
    const clips = sampleNoiseClips(x, peaks, { before: B, after: A, count: 500, seed: 1 });
    const r = createRng(5);
    const n = peaks.length;
    const sorting: GroupSorting = {
      units: [
        {
          samples: Float64Array.from(peaks, (p) => p.sample),
          template: new Float32Array((B + A) * C),
          peakChannel: 0,
          snr: 10,
        },
      ],
      peaks: peaks.map((p) => ({ ...p, z: -8 })),
      labels: new Int32Array(n),
      features: Float32Array.from({ length: n * 3 }, () => r.normal()),
      components: 3,
      noise: new Float64Array(C).fill(10),
      snippetLength: B + A,
      channels: C,
      noiseOverlaps: Float64Array.of(0.25),
    };
    const fs = 30000,
      duration = rows / fs;
    expect(qualityMetrics(sorting, { fs, duration })[0].nnNoiseOverlap).toBe(0.25);
    expect(qualityMetrics(sorting, { fs, duration, noise: { noiseClips: clips } })[0].nnNoiseOverlap).toBe(0.25);
    const noise = { noiseClips: clips, waveforms: [waveforms], options: { seed: 4 } };
    const m = qualityMetrics(sorting, { fs, duration, noise })[0];
    expect(() => qualityMetrics(sorting, { fs, duration, noiseClips: clips } as never)).toThrow(/'noiseClips'/);
    expect(m.nnNoiseOverlap).toBe(noiseOverlap(waveforms, clips, { length: B + A, channels: C, seed: 4 }));
    expect(m.nnNoiseOverlap).toBeLessThan(0.05);
    expect(m.numSpikes).toBe(n);
  });
});

describe('noise overlap on a unit’s neighbourhood (sortGroup with neighbours)', () => {
  // Units of 45–140 µV on a 16-channel probe, 25 µm apart: each is on a few channels only.
  const rec = simulateRecording({ seed: 2, seconds: 6, units: 4, channels: 16, amplitudes: [45, 60, 90, 140] });
  const x = { data: rec.data, rows: rec.rows, cols: rec.channels };
  const positions = Float64Array.from({ length: 2 * rec.channels }, (_, i) => (i % 2) * 25 * (i >> 1));
  const options = { fs: rec.fs, band: [300, 6000] as const, autoMerge: false };
  it('every channel as the neighbourhood gives the all-channel score; on near channels every well-sorted true unit scores below 0.1', () => {
    const everyChannel = Array.from({ length: 16 }, () => [...Array(16).keys()]);
    expect(Array.from(sortGroup(x, { ...options, neighbours: everyChannel }).noiseOverlaps)).toEqual(
      Array.from(sortGroup(x, options).noiseOverlaps),
    );
    const neighbours = neighboursWithin({ data: positions, rows: 16, cols: 2 }, { radius: 50 });
    const near = sortGroup(x, { ...options, neighbours });
    const scores = compareToTruth(
      rec.units.map((u) => u.spikeTimes),
      near.units.map((u) => Float64Array.from(u.samples, (s) => s / rec.fs)),
    );
    // two units are sorted well (the 45 µV one poorly), and none of them reads as noise
    const sorted = scores.filter((s) => s.accuracy > 0.8);
    expect(sorted.length).toBe(2);
    for (const s of sorted) expect(near.noiseOverlaps[s.sortedUnit], `true unit ${s.trueUnit}`).toBeLessThan(0.1);
  }, 120_000);
});

describe('noise overlap as Spyglass computes it (whitened, ±0.5 ms about the peak, 7 components)', () => {
  // On 3 ms of unwhitened waveform, well-sorted units of SNR 6–10 scored 0.10–0.11 and were labelled
  // noise by Spyglass's nn_noise_overlap > 0.1 rule, which was set on this computation.
  it('every true unit sorted at accuracy ≥ 0.9 in the bursting regime (60 s) scores below 0.1, on two seeds', () => {
    for (const seed of [1, 2]) {
      const rec = simulateRecording(sortingRegime('bursting', { seed }));
      const sorting = sortGroup({ data: rec.data, rows: rec.rows, cols: rec.channels }, { fs: rec.fs });
      const scores = compareToTruth(
        rec.units.map((u) => u.spikeTimes),
        sorting.units.map((u) => Float64Array.from(u.samples, (x) => x / rec.fs)),
      );
      const good = scores.filter((s) => s.accuracy >= 0.9);
      expect(good.length, `seed ${seed}`).toBeGreaterThanOrEqual(3);
      for (const s of good)
        expect(sorting.noiseOverlaps[s.sortedUnit], `seed ${seed}, true unit ${s.trueUnit}`).toBeLessThan(0.1);
    }
  }, 300_000);
});
