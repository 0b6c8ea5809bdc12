// The learning budget (issue #16): template learning clusters at most `learnSpikes` detections,
// taken from whole 1-s blocks spread evenly over the recording; template matching then assigns
// every spike. Under the budget nothing changes; over it the sample is deterministic, its
// detections point at the same data, and a dense sorting keeps its accuracy.
import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { simulateRecording } from '@spyglass-wasm/sim';
import { compareToTruth, sortGroup } from '../src/index.js';
import type { Peak } from '../src/detect/detect-peaks.js';
import { learningSample } from '../src/sort/learning-sample.js';

/** 20 s of 3 channels whose value is the row number, with one detection every 10 rows. */
function ramp() {
  const rows = 20_000,
    cols = 3;
  const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.floor(i / cols));
  const peaks: Peak[] = Array.from({ length: rows / 10 - 2 }, (_, i) => ({
    sample: 10 * (i + 1),
    time: 10 * (i + 1) + 0.25,
    channel: i % cols,
    z: -5,
  }));
  return { x: { data, rows, cols }, peaks };
}

describe('learning budget', () => {
  it('learns the whole recording when its detections fit the budget', () => {
    const { x, peaks } = ramp();
    const options = { block: 1000, budget: peaks.length, before: 5, after: 10, seed: 1 };
    expect(learningSample(x, x, peaks, options)).toBeUndefined();
  });

  it('takes whole blocks spread over the recording, at most the budget, the same for a seed', () => {
    const { x, peaks } = ramp();
    const options = { block: 1000, budget: 500, before: 5, after: 10, seed: 3 };
    const s = learningSample(x, x, peaks, options)!;
    expect(s.peaks.length).toBeGreaterThan(400);
    expect(s.peaks.length).toBeLessThanOrEqual(500);
    expect(s.w).toBe(s.x); // one matrix when the data is not whitened
    expect(s.x.rows % 1000).toBe(0);
    expect(s.x.rows).toBeLessThan(x.rows / 2);
    // each detection sits on the row it sat on before (the data is the row number), sub-sample kept
    for (const p of s.peaks) {
      const original = s.x.data[p.sample * 3];
      expect(p.time - p.sample).toBeCloseTo(0.25);
      expect(original % 10).toBe(0);
    }
    // blocks are spread: the sample reaches into the first and the last quarter of the recording
    const firsts = Array.from({ length: s.x.rows / 1000 }, (_, b) => s.x.data[b * 1000 * 3]);
    expect(Math.min(...firsts)).toBeLessThan(5000);
    expect(Math.max(...firsts)).toBeGreaterThanOrEqual(15_000);
    expect(learningSample(x, x, peaks, options)!.peaks).toEqual(s.peaks);
  });

  it('sorts a dense tetrode from a sample as accurately as from every detection', () => {
    const units = 6;
    const rec = simulateRecording({
      seed: 4,
      seconds: 16,
      units,
      amplitudes: Array.from({ length: units }, (_, u) => 100 + 30 * u),
      ratesHz: Array.from({ length: units }, (_, u) => 25 + 3 * u),
    });
    const raw = { data: rec.data, rows: rec.rows, cols: rec.channels };
    const score = (learnSpikes: number) => {
      const sorting = sortGroup(raw, { fs: rec.fs, learnSpikes });
      const s = compareToTruth(
        rec.units.map((u) => u.spikeTimes),
        sorting.units.map((u) => Float64Array.from(u.samples, (t) => t / rec.fs)),
      );
      return s.map((q) => q.accuracy);
    };
    const whole = score(1e9);
    const sampled = score(1000);
    const mean = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
    expect(mean(sampled)).toBeGreaterThan(mean(whole) - 0.03);
  });

  it('names learnSpikes when it is out of bounds', () => {
    const raw = { data: new Float32Array(30_000 * 4), rows: 30_000, cols: 4 };
    expect(() => sortGroup(raw, { fs: 30_000, learnSpikes: 50 })).toThrow(ParameterError);
    expect(() => sortGroup(raw, { fs: 30_000, learnSpikes: 50 })).toThrow(/learnSpikes/);
  });
});
