// Referencing, MAD noise and whitening against numpy / scipy (scripts/make-referencing-vectors.py).
import { ParameterError } from '@spyglass-wasm/core';
import { createRng, median } from '@spyglass-wasm/core';
import { describe, expect, it } from 'vitest';
import { commonAverageReference, commonReference, madNoiseLevel, whiten } from '../src/index.js';
import { medianInPlace } from '@spyglass-wasm/core';
import v from './vectors/lfp-referencing.json';

const x = { data: Float64Array.from(v.x, (q) => q ?? NaN), rows: v.rows, cols: v.cols };
function maxDiff(a: ArrayLike<number>, b: (number | null)[]): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  b.forEach((e, i) => {
    if (e === null) expect(Number.isNaN(a[i])).toBe(true);
    else w = Math.max(w, Math.abs(a[i] - e));
  });
  return w;
}

describe('common reference (numpy nanmedian / nanmean)', () => {
  it('median over all channels, NaN left out of the reference and kept in the output', () => {
    expect(maxDiff(commonReference(x).data, v.median_all)).toBeLessThan(1e-12);
  });
  it('mean over a channel subset with an exclusion', () => {
    expect(
      maxDiff(
        commonAverageReference(x, { method: 'mean', channels: [0, 1, 2, 3, 4], exclude: [2] }).data,
        v.mean_subset_excl,
      ),
    ).toBeLessThan(1e-12);
  });
  it('median of an even number of channels averages the middle two', () => {
    expect(maxDiff(commonReference(x, { channels: [0, 1, 3, 5] }).data, v.median_even)).toBeLessThan(1e-12);
  });
  it('quickselect median equals the sorted median on random sizes', () => {
    const rng = createRng(4);
    for (let k = 0; k < 300; k++) {
      const n = 1 + rng.int(40);
      const a = Float64Array.from({ length: n }, () => Math.round(rng.normal() * 5)); // ties included
      const s = a.slice().sort();
      // + 0: −0 and 0 are one median
      expect(medianInPlace(a.slice(), n) + 0).toBe((n % 2 ? s[n >> 1] : (s[(n >> 1) - 1] + s[n >> 1]) / 2) + 0);
    }
  });
  it('one channel, bare typed array: the median reference of one channel is zero; kinds are kept', () => {
    const one = Float32Array.from([1, 2, 3]);
    const r = commonReference(one);
    expect(r).toBeInstanceOf(Float32Array);
    expect(Array.from(r)).toEqual([0, 0, 0]);
    expect(commonReference({ data: new Float64Array(0), rows: 0, cols: 3 }).rows).toBe(0);
  });
  it('bad channels, exclusions and methods throw ParameterError', () => {
    expect(() => commonReference(x, { channels: [7] })).toThrow(/'channels'/);
    expect(() => commonReference(x, { exclude: [-1] })).toThrow(/'exclude'/);
    expect(() => commonReference(x, { channels: [1], exclude: [1] })).toThrow(ParameterError);
    expect(() => commonReference(x, { method: 'mode' as never })).toThrow(/'method'/);
  });
});

describe('MAD noise level', () => {
  it("matches median_abs_deviation(scale='normal', nan_policy='omit') per channel", () => {
    expect(maxDiff(madNoiseLevel(x), v.mad)).toBeLessThan(1e-12);
  });
  it('is the σ of Gaussian noise, and barely moved by spikes', () => {
    const rng = createRng(1);
    const noise = Float64Array.from({ length: 50000 }, () => rng.normal() * 7);
    for (let i = 0; i < noise.length; i += 500) noise[i] -= 200; // 1% large spikes
    expect(madNoiseLevel(noise)[0]).toBeGreaterThan(6.8);
    expect(madNoiseLevel(noise)[0]).toBeLessThan(7.3);
    expect(Number.isNaN(madNoiseLevel(new Float64Array([NaN, NaN]))[0])).toBe(true);
    expect(madNoiseLevel(new Float64Array([4]))[0]).toBe(0);
  });
  it('long channels (bracketed from a sample, one pass) give the median of the sorted values to the bit', () => {
    // 4 channels of 100 001 rows (odd) and 100 000 (even): Gaussian, ties, NaN, and one whose every
    // 4th row (the sample's stride) is an outlier, so its sample misses the median and the channel is gathered whole.
    const rng = createRng(7);
    for (const rows of [100_001, 100_000]) {
      const data = new Float32Array(rows * 4);
      for (let r = 0; r < rows; r++) {
        const g = rng.normal() * 10;
        data.set([g, Math.round(g / 4), r % 5 ? g : NaN, r % 4 ? g : 1e6], r * 4);
      }
      const expected = [0, 1, 2, 3].map((c) => {
        const col = Array.from({ length: rows }, (_, r) => data[r * 4 + c]).filter((v) => !Number.isNaN(v));
        const med = median(col);
        return median(col.map((v) => Math.abs(v - med))) / 0.6744897501960817;
      });
      expect(Array.from(madNoiseLevel({ data, rows, cols: 4 }))).toEqual(expected);
    }
  });
});

describe('ZCA whitening', () => {
  const w = v.whiten;
  const m = { data: Float64Array.from(w.x), rows: v.rows, cols: v.cols };
  it('W and y match numpy eigh with ε relative to the mean eigenvalue', () => {
    const r = whiten(m, { epsilon: w.epsilon });
    expect(maxDiff(r.W, w.W)).toBeLessThan(1e-10);
    expect(maxDiff(r.y.data, w.y)).toBeLessThan(1e-9);
  });
  it('a given covariance gives the same W; a given W and mean reapply to later data', () => {
    const r = whiten(m, { epsilon: w.epsilon, covariance: Float64Array.from(w.cov) });
    expect(maxDiff(r.W, w.W)).toBeLessThan(1e-10);
    const again = whiten({ data: m.data.subarray(0, 12), rows: 2, cols: v.cols }, { W: r.W, mean: r.mean });
    expect(maxDiff(again.y.data, w.y.slice(0, 12))).toBeLessThan(1e-9);
  });
  it('rows with NaN are left out of the statistics and come out NaN', () => {
    const holed = { ...m, data: m.data.slice() };
    holed.data[5 * v.cols + 2] = NaN;
    const r = whiten(holed);
    expect(r.y.data.slice(5 * v.cols, 6 * v.cols).every(Number.isNaN)).toBe(true);
    expect(r.W.every(Number.isFinite)).toBe(true);
  });
  it('one channel scales to unit variance; errors name the parameter', () => {
    const one = Float64Array.from({ length: 1000 }, (_, i) => 5 * Math.sin(i));
    const r = whiten(one);
    expect(r.y).toBeInstanceOf(Float64Array);
    expect(r.y.reduce((a, b) => a + b * b, 0) / 1000).toBeCloseTo(1, 6);
    expect(() => whiten(new Float64Array(1))).toThrow(/'x'/);
    expect(() => whiten(new Float64Array(10).fill(2))).toThrow(/'x'/);
    expect(() => whiten(m, { W: new Float64Array(3) })).toThrow(/'W'/);
    expect(() => whiten(m, { covariance: new Float64Array(3) })).toThrow(/'covariance'/);
    expect(() => whiten(m, { epsilon: -1 })).toThrow(/'epsilon'/);
  });
});
