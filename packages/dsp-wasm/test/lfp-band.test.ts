// Theta / ripple band filters with Hilbert phase and power, against scipy (firwin + kaiserord,
// fftconvolve, hilbert) on Spyglass's band edges and phase convention.
import { ParameterError } from '@spyglass-wasm/core';
import { describe, expect, it } from 'vitest';
import { bandAnalysis, bandFilter, bandTaps } from '../src/index.js';
import v from './vectors/lfp-band.json';

const x = { data: Float64Array.from(v.x), rows: v.rows, cols: v.cols };
const relMax = (a: ArrayLike<number>, b: number[]) => {
  let w = 0,
    s = 0;
  for (let i = 0; i < b.length; i++) {
    w = Math.max(w, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return w / s;
};

describe('band taps (Spyglass edges: ripple 140/150–250/260, theta 4/5–11/12 Hz)', () => {
  it.each(['ripple', 'theta'] as const)('%s: length and taps as scipy kaiserord(60 dB) + firwin', (band) => {
    const taps = bandTaps({ fs: v.fs, band });
    expect(taps.length).toBe(v[band].numtaps);
    const mid = taps.length >> 1;
    expect(relMax(taps.subarray(mid - 3, mid + 4), v[band].taps_mid)).toBeLessThan(1e-12);
  });
});

describe('ripple band analysis vs scipy (zeros beyond the ends)', () => {
  const r = bandAnalysis(x, { fs: v.fs, band: 'ripple', padtype: 'zero' });
  it('filtered signal equals fftconvolve(..., "same")', () => {
    expect(relMax(r.filtered.data, v.ripple.filtered)).toBeLessThan(1e-10);
  });
  it('power = |hilbert|² and phase = angle + π (Spyglass) match scipy.signal.hilbert', () => {
    expect(relMax(r.power.data, v.ripple.power)).toBeLessThan(1e-9);
    let worst = 0;
    r.phase.data.forEach((p, i) => {
      const d = Math.abs(p - v.ripple.phase[i]);
      worst = Math.max(worst, Math.min(d, 2 * Math.PI - d)); // the same angle either side of the cut
    });
    expect(worst).toBeLessThan(1e-8);
    expect(Math.min(...r.phase.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r.phase.data)).toBeLessThanOrEqual(2 * Math.PI);
  });
  it("phase: 'signed' gives angle in (−π, π]", () => {
    const s = bandAnalysis(x, { fs: v.fs, band: 'ripple', padtype: 'zero', phase: 'signed' });
    s.phase.data.forEach((p, i) => expect(Math.abs(Math.cos(p) + Math.cos(r.phase.data[i]))).toBeLessThan(1e-12));
  });
  it('the 190 Hz burst at 0.6 s is where the ripple power peaks', () => {
    let best = 0;
    for (let i = 0; i < v.rows; i++) if (r.power.data[i * 2] > r.power.data[best * 2]) best = i;
    expect(Math.abs(best - 600)).toBeLessThan(10);
  });
});

describe('options, kinds and errors', () => {
  it('a bare typed array in gives the same kind out; targetFs decimates in the same pass', () => {
    const one = Float32Array.from({ length: v.rows }, (_, i) => v.x[2 * i]);
    const y = bandFilter(one, { fs: v.fs, band: 'ripple' });
    expect(y).toBeInstanceOf(Float32Array);
    expect(y.length).toBe(v.rows);
    const full = bandFilter(x, { fs: v.fs, band: 'ripple' });
    const dec = bandFilter(x, { fs: v.fs, band: 'ripple', targetFs: 500 });
    expect(dec.rows).toBe(v.rows / 2);
    expect(
      relMax(
        dec.data,
        Array.from({ length: dec.data.length }, (_, i) => full.data[(i >> 1) * 4 + (i & 1)]),
      ),
    ).toBeLessThan(1e-12);
  });
  it('bad bands, rates and too-short input throw ParameterError', () => {
    expect(() => bandFilter(x, { fs: v.fs, band: [5, 600] })).toThrow(/'band'/);
    expect(() => bandFilter(x, { fs: v.fs, band: 'gamma' as never })).toThrow(/'band'/);
    expect(() => bandFilter(x, { fs: 0, band: 'theta' })).toThrow(/'fs'/);
    expect(() => bandFilter(x, { fs: v.fs, band: 'ripple', targetFs: 2000 })).toThrow(/'targetFs'/);
    expect(() => bandAnalysis(x, { fs: v.fs, band: 'ripple', phase: 'degrees' as never })).toThrow(/'phase'/);
    // odd padding needs more samples than taps: 2 samples cannot be band-passed without zeros
    expect(() => bandFilter(new Float64Array(2), { fs: v.fs, band: 'ripple' })).toThrow(ParameterError);
    expect(
      bandFilter(new Float64Array(2).fill(1), { fs: v.fs, band: 'ripple', padtype: 'zero' }).every(Number.isFinite),
    ).toBe(true);
  });
});

it('numeric edges equal to a named band get its transition', () => {
  expect(bandTaps({ fs: 1000, band: [150, 250] })).toEqual(bandTaps({ fs: 1000, band: 'ripple' }));
  expect(bandTaps({ fs: 1000, band: [5, 11] }).length).toBe(v.theta.numtaps);
});
