import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { ParameterError, type Matrix } from '@spyglass-wasm/core';
import { SosFilter, butter, sosfilt, sosfiltWithState, sosfiltZi, sosfiltfilt, ziForChannels } from '../src/index.js';
import v from './vectors/sosfilt.json';

const x64 = Float64Array.from(v.x);
const x = (): Matrix<Float64Array> => ({ data: x64.slice(), rows: v.rows, cols: v.cols });
const rms = Math.sqrt(v.x.reduce((s, a) => s + a * a, 0) / v.x.length);

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

describe('sosfilt / sosfiltZi / sosfiltfilt vs scipy', () => {
  it('sosfilt matches scipy in float64 (wasm and reference)', () => {
    expectClose(sosfilt(v.sos, x()).data, v.sosfilt, 1e-9 * rms);
    expectClose(sosfilt(v.sos, x(), { backend: 'reference' }).data, v.sosfilt, 1e-9 * rms);
  });

  it("sosfiltZi matches scipy.signal.sosfilt_zi; sosfilt with zi returns scipy's y and zf", () => {
    expectClose(sosfiltZi(v.sos), v.sosfilt_zi, 1e-12);
    const zi = ziForChannels(sosfiltZi(v.sos), x64.subarray(0, v.cols));
    const { y, zf } = sosfiltWithState(v.sos, x(), { zi });
    expectClose((y as Matrix).data, v.sosfilt_with_zi, 1e-9 * rms);
    expectClose(zf, v.sosfilt_zf, 1e-9 * rms);
  });

  it('sosfiltfilt matches scipy for odd, even, constant and no padding', () => {
    expectClose(sosfiltfilt(v.sos, x()).data, v.sosfiltfilt, 1e-9 * rms);
    expectClose(sosfiltfilt(v.sos, x(), { padtype: 'even' }).data, v.sosfiltfilt_even, 1e-9 * rms);
    expectClose(
      sosfiltfilt(v.sos, x(), { padtype: 'constant', padlen: 10 }).data,
      v.sosfiltfilt_const_pad10,
      1e-9 * rms,
    );
    expectClose(sosfiltfilt(v.sos, x(), { padtype: null }).data, v.sosfiltfilt_nopad, 1e-9 * rms);
    const ch0 = Float64Array.from({ length: v.rows }, (_, r) => v.x[r * v.cols]);
    expectClose(sosfiltfilt(v.sos_lp, ch0), v.sosfiltfilt_lp, 1e-9 * rms);
  });

  it('writes into a given out array, also in place', () => {
    const out = new Float64Array(v.rows * v.cols);
    const y = sosfiltfilt(v.sos, x(), { out });
    expect(y.data).toBe(out);
    expectClose(out, v.sosfiltfilt, 1e-9 * rms);
    const inPlace = x();
    sosfiltfilt(v.sos, inPlace, { out: inPlace.data });
    expectClose(inPlace.data, v.sosfiltfilt, 1e-9 * rms);
    expect(() => sosfiltfilt(v.sos, x(), { out: new Float32Array(v.rows * v.cols) })).toThrow(/'out'/);
  });

  it('float32 input gives float32 output within 1e-4 of the signal RMS', () => {
    const y = sosfiltfilt(v.sos, { data: Float32Array.from(v.x), rows: v.rows, cols: v.cols });
    expect(y.data).toBeInstanceOf(Float32Array);
    expectClose(y.data, v.sosfiltfilt, 1e-4 * rms);
  });
});

describe('the Wasm kernel equals the TypeScript reference', () => {
  const sos = butter(4, [300, 6000], { btype: 'bandpass', fs: 30000 });
  it.each([1, 2, 3, 4, 5, 7, 8, 64])('%i channel(s), odd length, f32 and f64', (cols) => {
    const rows = 257;
    const d = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.013) * 100 + ((i * 7919) % 13) - 6);
    for (const data of [d, Float32Array.from(d)]) {
      const w = sosfiltfilt(sos, { data, rows, cols });
      const r = sosfiltfilt(sos, { data, rows, cols }, { backend: 'reference' });
      expect(w.data.constructor).toBe(data.constructor);
      expectClose(w.data, r.data, data instanceof Float32Array ? 1e-3 : 1e-9);
    }
  });
});

describe("precision: 'float32' (float32 arithmetic on float32 data)", () => {
  it('stays within 1e-4 of the signal RMS of scipy and equals the float32 reference bit for bit', () => {
    const data = Float32Array.from(v.x);
    const y = sosfiltfilt(v.sos, { data, rows: v.rows, cols: v.cols }, { precision: 'float32' });
    expect(y.data).toBeInstanceOf(Float32Array);
    expectClose(y.data, v.sosfiltfilt, 1e-4 * rms);
    for (const cols of [1, 3, 4, 8, 13, 16, 37]) {
      const rows = 300;
      const d = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.05) * 30 + (i % 11));
      const w = sosfiltfilt(v.sos, { data: d, rows, cols }, { precision: 'float32' });
      const r = sosfiltfilt(v.sos, { data: d, rows, cols }, { precision: 'float32', backend: 'reference' });
      expectClose(w.data, r.data, 0);
    }
  });

  it('is refused for Float64Array data', () => {
    expect(() => sosfilt(v.sos, x(), { precision: 'float32' })).toThrow(/'precision'/);
    expect(() => sosfilt(v.sos, x(), { precision: 'half' as never })).toThrow(/'precision'/);
  });
});

describe('streaming SosFilter', () => {
  it('gives the same output as one sosfilt call for any chunking', () => {
    const sos = butter(3, [5, 11], { btype: 'bandpass', fs: 1000 });
    const rows = 1000,
      cols = 3;
    const data = Float64Array.from({ length: rows * cols }, (_, i) => Math.cos(i * 0.07) + (i % 5));
    const whole = sosfilt(sos, { data, rows, cols }).data;
    for (const sizes of [[1000], [1, 999], [333, 1, 2, 664], [7, 7, 7, 979]]) {
      const f = new SosFilter(sos, cols);
      const parts: number[] = [];
      let r0 = 0;
      for (const n of sizes) {
        parts.push(...f.process({ data: data.subarray(r0 * cols, (r0 + n) * cols), rows: n, cols }).data);
        r0 += n;
      }
      expectClose(parts, whole, 1e-12);
    }
  });

  it('rejects a chunk with the wrong channel count', () => {
    const f = new SosFilter(butter(2, 0.2), 2);
    expect(() => f.process(new Float64Array(10))).toThrow(/'chunk': expected 2 channels/);
  });
});

describe('edge cases', () => {
  const sos = butter(2, 0.3);
  it('handles one and two samples in sosfilt, and rejects them in sosfiltfilt like scipy', () => {
    expect(sosfilt(sos, new Float64Array([1])).length).toBe(1);
    expectClose(sosfilt(sos, new Float64Array([1, 0])), [sos[0], sos[1] - sos[4] * sos[0]], 1e-15);
    expect(() => sosfiltfilt(sos, new Float64Array([1, 2]))).toThrow(ParameterError);
    expect(() => sosfiltfilt(sos, new Float64Array(9))).toThrow(/'x': expected more than padlen = 9 samples/); // 3 × (2·1 + 1)
    expect(sosfiltfilt(sos, new Float64Array(10)).length).toBe(10);
  });

  it('propagates NaN forward in time like scipy (sosfilt) and everywhere after filtfilt', () => {
    const d = Float64Array.from({ length: 50 }, (_, i) => (i === 20 ? NaN : 1));
    const y = sosfilt(sos, d);
    expect(y.slice(0, 20).every(Number.isFinite)).toBe(true);
    expect(y.slice(20).every(Number.isNaN)).toBe(true);
    expect(sosfiltfilt(sos, d).every(Number.isNaN)).toBe(true);
  });

  it('accepts ndarray views, including strided ones', () => {
    const data = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i));
    const nd = ndarray(data, [100, 2]);
    const a = sosfiltfilt(sos, nd);
    const b = sosfiltfilt(sos, { data, rows: 100, cols: 2 });
    expectClose(a.data, b.data, 0);
    const col1 = sosfiltfilt(sos, nd.pick(null, 1)); // stride 2: gathered
    expectClose(
      col1.data,
      Array.from({ length: 100 }, (_, r) => b.data[r * 2 + 1]),
      1e-12,
    );
  });

  it('rejects bad sos, zi, padding and dtypes', () => {
    expect(() => sosfilt([1, 2, 3], new Float64Array(4))).toThrow(/'sos'/);
    expect(() => sosfilt([1, 0, 0, 2, 0, 0], new Float64Array(4))).toThrow(/a0 == 1/);
    expect(() => sosfilt(sos, new Float64Array(4), { zi: [0] })).toThrow(/'zi'/);
    expect(() => sosfiltfilt(sos, new Float64Array(40), { padtype: 'wrap' as never })).toThrow(/'padtype'/);
    expect(() => sosfiltfilt(sos, new Float64Array(40), { padlen: -1 })).toThrow(/'padlen'/);
    expect(() => sosfilt(sos, new Int16Array(4) as never)).toThrow(/Float32Array or Float64Array/);
    expect(() => sosfilt(sos, new Float64Array(4), { backend: 'gpu' as never })).toThrow(/'backend'/);
  });
});
