import { describe, expect, it } from 'vitest';
import { ParameterError, type Matrix } from '@spyglass-wasm/core';
import {
  SosFilter,
  butter,
  decimate,
  firFilter,
  firwin,
  float32DesignError,
  maxPoleRadius,
  sosfilt,
  sosfiltfilt,
} from '../src/index.js';
import v from './vectors/sos-precision.json';

/** The input of scripts/make-precision-vectors.py, bit for bit: an integer LCG, cast to float32. */
function lcgSignal(seed: number, lfAmplitude: number): Matrix<Float32Array> {
  const { rows, cols, fs } = v;
  let s = seed;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) {
    let acc = 0;
    for (let k = 0; k < 4; k++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      acc += (s + 0.5) / 2 ** 32;
    }
    data[i] = (acc - 2) * Math.sqrt(3) + lfAmplitude * Math.sin((2 * Math.PI * 0.5 * Math.floor(i / cols)) / fs);
  }
  return { data, rows, cols };
}

/** max |y − scipy| / scipy's RMS over the rows the vectors keep. */
function errorVsScipy(y: ArrayLike<number>, c: (typeof v.cases)[number]): number {
  let worst = 0;
  for (let k = 0; k < c.y.length; k++) {
    const row = Math.floor(k / v.cols) * v.step,
      col = k % v.cols;
    worst = Math.max(worst, Math.abs(y[row * v.cols + col] - c.y[k]));
  }
  return worst / c.rms;
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.prototype.every.call(a, (x: number, i: number) => Object.is(x, b[i]));

describe("sosfiltfilt's default precision ('auto')", () => {
  const [bandpass, lowpass] = v.cases;

  it('takes float32 for a well-conditioned bandpass on Float32Array data, within 1e-4 of RMS of scipy', () => {
    const x = lcgSignal(bandpass.seed, bandpass.lfAmplitude);
    const y = sosfiltfilt(bandpass.sos, x);
    expect(maxPoleRadius(bandpass.sos)).toBeLessThan(0.999); // the rule's first gate: poles well inside
    expect(float32DesignError(bandpass.sos)).toBeLessThan(5e-5);
    expect(same(y.data, sosfiltfilt(bandpass.sos, x, { precision: 'float32' }).data)).toBe(true);
    expect(errorVsScipy(y.data, bandpass)).toBeLessThanOrEqual(1e-4);
    // Forcing float64 still gives scipy's result to float32 output rounding.
    expect(errorVsScipy(sosfiltfilt(bandpass.sos, x, { precision: 'float64' }).data, bandpass)).toBeLessThanOrEqual(
      1e-6,
    );
  });

  it('takes float64 for butter(4, 1 Hz) at 30 kHz, where float32 arithmetic is far off', () => {
    const x = lcgSignal(lowpass.seed, lowpass.lfAmplitude);
    expect(maxPoleRadius(lowpass.sos)).toBeGreaterThan(0.999); // a pole at 1 − 8e-5: float64 at once
    expect(float32DesignError(lowpass.sos)).toBeGreaterThan(1e-2);
    const y = sosfiltfilt(lowpass.sos, x);
    expect(same(y.data, sosfiltfilt(lowpass.sos, x, { precision: 'float64' }).data)).toBe(true);
    // Float32 output: scipy's result to the output's own rounding; float64 data: to ~1e-9.
    expect(errorVsScipy(y.data, lowpass)).toBeLessThanOrEqual(1e-6);
    expect(
      errorVsScipy(sosfiltfilt(lowpass.sos, { ...x, data: Float64Array.from(x.data) }).data, lowpass),
    ).toBeLessThanOrEqual(5e-9);
    expect(errorVsScipy(sosfiltfilt(lowpass.sos, x, { precision: 'float32' }).data, lowpass)).toBeGreaterThan(1e-3);
  });

  it('takes float64 when the data carry large out-of-band content (a DC offset 100× the noise)', () => {
    const x = lcgSignal(bandpass.seed, 0);
    const offset = { ...x, data: x.data.map((a) => a + 100) };
    const y = sosfiltfilt(bandpass.sos, offset);
    expect(same(y.data, sosfiltfilt(bandpass.sos, offset, { precision: 'float64' }).data)).toBe(true);
  });

  it('keeps float64 for Float64Array data and for small inputs (no trial worth its cost)', () => {
    const x = lcgSignal(bandpass.seed, 0);
    const small = { data: x.data.slice(0, 2000 * v.cols), rows: 2000, cols: v.cols };
    expect(
      same(sosfiltfilt(bandpass.sos, small).data, sosfiltfilt(bandpass.sos, small, { precision: 'float64' }).data),
    ).toBe(true);
    const x64 = { ...x, data: Float64Array.from(x.data) };
    expect(
      same(sosfiltfilt(bandpass.sos, x64).data, sosfiltfilt(bandpass.sos, x64, { precision: 'float64' }).data),
    ).toBe(true);
  });

  it('applies to sosfilt as well; SosFilter streams in float64 unless told', () => {
    const x = lcgSignal(bandpass.seed, 0);
    expect(same(sosfilt(bandpass.sos, x).data, sosfilt(bandpass.sos, x, { precision: 'float32' }).data)).toBe(true);
    const f = new SosFilter(bandpass.sos, v.cols);
    expect(same(f.process(x).data, sosfilt(bandpass.sos, x, { precision: 'float64' }).data)).toBe(true);
    expect(() => new SosFilter(bandpass.sos, v.cols, { precision: 'auto' as never })).toThrow(ParameterError);
  });
});

describe("firFilter's default precision ('auto')", () => {
  const fs = 30000;
  const band = firwin(201, [300, 6000], { fs, pass_zero: false });
  const opts = (precision: 'float32' | 'float64') => ({ precision });

  it('takes float32 for Float32Array data whose content the filter keeps, within 1e-4 of RMS of float64', () => {
    const x = lcgSignal(7, 0);
    const y = firFilter(band, x).data;
    const y64 = firFilter(band, x, opts('float64')).data;
    expect(same(y, firFilter(band, x, opts('float32')).data)).toBe(true);
    expect(maxOverRms(y, y64)).toBeLessThanOrEqual(1e-4);
    expect(maxOverRms(y, y64)).toBeGreaterThan(0); // it really is float32 arithmetic
    // decimate's FIR path and lfp-style decimation follow the same rule
    const d = decimate(x, 10, { ftype: 'fir' }).data;
    expect(
      maxOverRms(d, firFilter(firwin(201, 0.1, { window: 'hamming' }), x, { decimate: 10, ...opts('float64') }).data),
    ).toBeLessThan(1e-4);
  });

  it('takes float64 when the filter removes content 10⁴× what it keeps (float32 transforms would not do)', () => {
    const x = lcgSignal(7, 0);
    const offset = { ...x, data: x.data.map((a, i) => a + 3e4 + 1e4 * Math.sin(i / v.cols / 500)) };
    const y = firFilter(band, offset).data;
    expect(same(y, firFilter(band, offset, opts('float64')).data)).toBe(true);
    expect(maxOverRms(firFilter(band, offset, opts('float32')).data, y)).toBeGreaterThan(1e-5);
  });

  it('keeps float64 for Float64Array data and for short inputs', () => {
    const x = lcgSignal(7, 0);
    const x64 = { ...x, data: Float64Array.from(x.data) };
    expect(same(firFilter(band, x64).data, firFilter(band, x64, opts('float64')).data)).toBe(true);
    const short = { data: x.data.slice(0, 1000 * v.cols), rows: 1000, cols: v.cols };
    expect(same(firFilter(band, short).data, firFilter(band, short, opts('float64')).data)).toBe(true);
  });
});

/** max|a − b| / RMS(b). */
function maxOverRms(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0,
    ss = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    ss += b[i] * b[i];
  }
  return worst / Math.sqrt(ss / b.length);
}

describe('unknown option names are errors', () => {
  const sos = butter(4, [300, 6000], { btype: 'bandpass', fs: 30000 });
  const x = new Float32Array(1000);

  it('names the option instead of silently filtering one channel', () => {
    const call = () => sosfiltfilt(sos, x, { channels: 64 } as never);
    expect(call).toThrow(ParameterError);
    expect(call).toThrow(/'channels'/);
    expect(() => sosfilt(sos, x, { chanels: 2 } as never)).toThrow(/'chanels'/);
    expect(() => new SosFilter(sos, 1, { precison: 'float32' } as never)).toThrow(/'precison'/);
    expect(() => firFilter([1, 2, 1], x, { zerophase: false } as never)).toThrow(/'zerophase'/);
    expect(() => decimate(x, 4, { order: 8 } as never)).toThrow(/'order'/);
    expect(() => butter(4, 300, { fs: 30000, type: 'highpass' } as never)).toThrow(/'type'/);
  });
});
