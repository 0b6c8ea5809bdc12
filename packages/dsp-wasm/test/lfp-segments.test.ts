// lfp(): the input's kind out, Kaiser length from the real rate, and Spyglass's per-interval
// filtering: time gaps, non-finite rows and validTimes split the data, no transient crosses them.
import { ParameterError } from '@spyglass-wasm/core';
import { createRng } from '@spyglass-wasm/core';
import { describe, expect, it } from 'vitest';
import { LfpFilter, lfp, lfpDesign } from '../src/index.js';

const fs = 30000;
const rng = createRng(12);
const rows = 24000,
  cols = 2;
const data = Float64Array.from(
  { length: rows * cols },
  (_, i) => 100 * Math.sin((2 * Math.PI * 8 * (i >> 1)) / fs) + 20 * rng.normal(),
);
const x = { data, rows, cols };
const slice = (a: number, b: number) => ({ data: data.slice(a * cols, b * cols), rows: b - a, cols });

describe('design from the real rate (scipy.signal.kaiserord(120, 25 / (fs / 2)), made odd)', () => {
  it.each([
    [30000, 9367, 30, 1000],
    [29970, 9359, 30, 999],
    [20000, 6245, 20, 1000],
    [2000, 627, 2, 1000],
    [2500, 783, 2, 1250], // round(2.5) = 3 would leave 833 Hz < 2 × 425: the default gives way
    [1500, 471, 1, 1500], // q 2 would leave 750 Hz
    [900, 283, 1, 900],
  ])('fs %d Hz: %d taps, q %d, output %d Hz', (rate, taps, q, out) => {
    const d = lfpDesign({ fs: rate });
    expect([d.taps.length, d.q, d.outFs]).toEqual([taps, q, out]);
  });
  it('rejects rates that cannot hold the 425 Hz stopband', () => {
    expect(() => lfpDesign({ fs: 800 })).toThrow(ParameterError); // 800 Hz < 2 × 425 before decimation
    expect(() => lfpDesign({ fs: -1 })).toThrow(/'fs'/);
    expect(() => lfp(x, { fs, timestamps: new Float64Array(3) })).toThrow(/'timestamps'/);
  });
});

describe('same kind out', () => {
  it('a bare Float32Array gives a Float32Array within 1e-5 of the float64 result (relative to RMS)', () => {
    const one = Float32Array.from({ length: rows }, (_, i) => data[2 * i]);
    const y32 = lfp(one, { fs }).data;
    const y64 = lfp(Float64Array.from(one), { fs }).data;
    expect(y32).toBeInstanceOf(Float32Array);
    expect(y64).toBeInstanceOf(Float64Array);
    let rms = 0,
      err = 0;
    for (let i = 0; i < y64.length; i++) {
      rms += y64[i] ** 2;
      err = Math.max(err, Math.abs(y32[i] - y64[i]));
    }
    expect(err / Math.sqrt(rms / y64.length)).toBeLessThan(1e-5);
  });
  it('1 and 2 samples give one finite output sample at the first time', () => {
    for (const n of [1, 2]) {
      const r = lfp(new Float64Array(n).fill(5), { fs, startTime: 3 });
      expect(r.data.length).toBe(1);
      expect(Number.isFinite(r.data[0])).toBe(true);
      expect(Array.from(r.timestamps)).toEqual([3]);
    }
  });
});

describe('segments (Spyglass filters each valid interval on its own)', () => {
  const whole = (a: ReturnType<typeof lfp<Float64Array>>, b: ReturnType<typeof lfp<Float64Array>>) => [
    ...a.data.data,
    ...b.data.data,
  ];
  it('a time gap: output equals filtering each side alone; timestamps restart the grid after the gap', () => {
    const timestamps = Float64Array.from({ length: rows }, (_, i) => 50 + i / fs + (i >= 10007 ? 1 : 0));
    const r = lfp(x, { fs, timestamps });
    const a = lfp(slice(0, 10007), { fs, startTime: 50 }),
      b = lfp(slice(10007, rows), { fs, startTime: 50 + 10007 / fs + 1 });
    expect(Array.from(r.data.data)).toEqual(whole(a, b));
    const expected = [...a.timestamps, ...b.timestamps];
    expect(r.timestamps.length).toBe(expected.length);
    expect(Math.max(...expected.map((t, i) => Math.abs(t - r.timestamps[i])))).toBeLessThan(1e-9);
    expect(r.timestamps[a.timestamps.length]).toBe(timestamps[10007]);
  });
  it('a row with NaN is dropped and splits the data: NaN never spreads through the filter', () => {
    const holed = { ...x, data: data.slice() };
    holed.data[5000 * cols + 1] = NaN;
    const r = lfp(holed, { fs });
    expect(r.data.data.every(Number.isFinite)).toBe(true);
    const a = lfp(slice(0, 5000), { fs }),
      b = lfp(slice(5001, rows), { fs, startTime: 5001 / fs });
    expect(Array.from(r.data.data)).toEqual(whole(a, b));
  });
  it('validTimes keeps only the samples inside the intervals', () => {
    const r = lfp(x, {
      fs,
      validTimes: [
        [0.1, 0.3],
        [0.5, 0.6],
      ],
    });
    const a = lfp(slice(3000, 9001), { fs, startTime: 0.1 }),
      b = lfp(slice(15000, 18001), { fs, startTime: 0.5 });
    expect(r.data.data.length).toBe(a.data.data.length + b.data.data.length);
    const all = whole(a, b);
    let worst = 0;
    r.data.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - all[i]))));
    expect(worst).toBeLessThan(1e-9);
    expect(r.timestamps[0]).toBeCloseTo(0.1, 12);
  });
});

describe('streaming LfpFilter', () => {
  it('with gaps, NaN rows and validTimes, any chunking equals lfp on the whole', () => {
    const timestamps = Float64Array.from({ length: rows }, (_, i) => 7 + i / fs + (i >= 15001 ? 0.25 : 0));
    const holed = { ...x, data: data.slice() };
    holed.data[6000 * cols] = NaN;
    const options = {
      fs,
      timestamps,
      validTimes: [
        [7, 7.7],
        [7.75, 9],
      ] as [number, number][],
    };
    const whole = lfp(holed, options);
    for (const size of [1000, 4093, 24000]) {
      const f = new LfpFilter<Float64Array>(cols, options);
      const got: number[] = [],
        times: number[] = [];
      const take = (r: { data: { data: Float64Array }; timestamps: Float64Array }) => {
        got.push(...r.data.data);
        times.push(...r.timestamps);
      };
      for (let r = 0; r < rows; r += size)
        take(
          f.process({
            data: holed.data.subarray(r * cols, Math.min(rows, r + size) * cols),
            rows: Math.min(size, rows - r),
            cols,
          }),
        );
      take(f.flush());
      expect(got.length).toBe(whole.data.data.length);
      let worst = 0;
      got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - whole.data.data[i]))));
      expect(worst).toBeLessThan(1e-9);
      expect(times).toEqual(Array.from(whole.timestamps));
    }
  });
  it('checks channels and timestamps', () => {
    const f = new LfpFilter<Float64Array>(2, { fs, timestamps: new Float64Array(10).map((_, i) => i / fs) });
    expect(() => f.process({ data: new Float64Array(30), rows: 10, cols: 3 })).toThrow(/'chunk'/);
    expect(() => f.process({ data: new Float64Array(40), rows: 20, cols: 2 })).toThrow(/'timestamps'/);
    expect(() => new LfpFilter(0, { fs })).toThrow(/'channels'/);
  });
});
