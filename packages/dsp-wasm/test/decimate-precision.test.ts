// decimate's IIR default on Float32Array data: float32 arithmetic where the trial allows it, else
// 'mixed' (forward pass in float32, backward in float64 with the zeros apart), else float64 — the
// same rule as sosfiltfilt's (pole radius, design probe, trials on the data), error ≤ 1e-4 of RMS.
import { describe, expect, it } from 'vitest';
import { type Matrix } from '@spyglass-wasm/core';
import { cheby1, decimate } from '../src/index.js';
import { sosfiltfiltEvery } from '../src/filter/sosfiltfilt.js';
import { maxErrorOverRms, maxPoleRadius } from '../src/filter/precision.js';

/** Gaussian noise (RMS 20) and a slow sine (50), as the benchmark's signal, plus a sine at 5 kHz. */
function signal(rows: number, cols: number, highAmplitude: number): Matrix<Float32Array> {
  let s = 2024;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const r = Math.floor(i / cols);
    data[i] =
      20 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()) +
      50 * Math.sin(r * 0.002) +
      highAmplitude * Math.sin((2 * Math.PI * 5000 * r) / 30000);
  }
  return { data, rows, cols };
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.prototype.every.call(a, (x: number, i: number) => Object.is(x, b[i]));

describe("decimate's IIR default arithmetic on Float32Array data", () => {
  const q = 10;
  const sos = cheby1(8, 0.05, 0.8 / q);
  const forced = (x: Matrix<Float32Array>, precision: 'float32' | 'float64') =>
    sosfiltfiltEvery(sos, x, { precision }, q);
  const exact = (x: Matrix<Float32Array>) => decimate({ ...x, data: Float64Array.from(x.data) }, q).data;

  it("takes 'mixed' where float32 fails the trial (64 ch of noise): within 1e-4 of RMS", () => {
    expect(maxPoleRadius(sos)).toBeLessThan(0.999);
    const x = signal(140_000, 64, 0);
    const y = decimate(x, q).data;
    const want = exact(x);
    expect(maxErrorOverRms(forced(x, 'float32'), want)).toBeGreaterThan(6e-5); // float32 alone: over the trial's tolerance
    expect(same(y, forced(x, 'float32'))).toBe(false);
    expect(same(y, forced(x, 'float64'))).toBe(false);
    const error = maxErrorOverRms(y, want);
    expect(error).toBeLessThanOrEqual(1e-4);
    expect(error).toBeGreaterThan(1e-6); // it really is float32 arithmetic in the forward pass
  }, 60_000);

  it('takes float64 when content the filter removes is 1000× the rest (the start-up transient trial refuses mixed)', () => {
    const x = signal(140_000, 16, 2e4);
    const y = decimate(x, q).data;
    expect(same(y, forced(x, 'float64'))).toBe(true);
    // float64 arithmetic; the forward output is still stored as float32, 1000× the output here
    expect(maxErrorOverRms(y, exact(x))).toBeLessThan(1e-5);
  }, 60_000);
});
