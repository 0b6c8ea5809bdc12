// bandAnalysisInWindows against bandAnalysis on the whole array (theta, the band whose Hilbert
// transform reaches furthest): the band bit for bit, the analytic signal (phase and power) within
// tolerances that grow towards the recording's ends, where the whole array's FFT wraps its far end
// around; and the margin's own error, against a 40 s margin.
import { describe, expect, it } from 'vitest';
import { bandAnalysis, bandAnalysisInWindows, bandFilter, type WindowedBandOptions } from '../src/index.js';

const fs = 1000,
  rows = 120_000,
  cols = 2;
/** 120 s of 2-channel LFP: amplitude-modulated 8 Hz theta, brown noise, white noise, a 200 µV offset. */
function lfp(): Float32Array {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const data = new Float32Array(rows * cols);
  const brown = [0, 0];
  for (let t = 0; t < rows; t++)
    for (let c = 0; c < cols; c++) {
      brown[c] = 0.995 * brown[c] + (rnd() - 0.5) * 20;
      const theta =
        150 * (1 + 0.5 * Math.sin((2 * Math.PI * 0.3 * t) / fs + c)) * Math.sin((2 * Math.PI * 8 * t) / fs + c);
      data[t * cols + c] = theta + brown[c] + 200 + (rnd() - 0.5) * 30;
    }
  return data;
}
const data = lfp();
const band = { fs, band: [5, 11] as [number, number], transition: 1 };
const read = (a: number, b: number) => data.subarray(a * cols, b * cols);

/** The windowed analysis assembled: band, phase, and the analytic signal (re, im interleaved) from phase and power. */
async function windowed(options: Partial<WindowedBandOptions>) {
  const filtered = new Float32Array(rows * cols);
  const z = new Float64Array(2 * rows * cols);
  const phase = new Float64Array(rows * cols);
  let windows = 0;
  for await (const w of bandAnalysisInWindows({ rows, cols, read }, { ...band, ...options })) {
    windows++;
    filtered.set(w.filtered.data, w.start * cols);
    phase.set(w.phase.data, w.start * cols);
    w.phase.data.forEach((p, i) => {
      const r = Math.sqrt(w.power.data[i]);
      z.set([r * Math.cos(p), r * Math.sin(p)], 2 * (w.start * cols + i));
    });
  }
  return { filtered, z, phase, windows };
}

/** Largest |Δ analytic| over the RMS amplitude, on rows at least `from` rows from both ends. */
function analyticError(a: Float64Array, b: Float64Array, from: number) {
  let ms = 0,
    worst = 0;
  for (let i = 0; i < b.length; i += 2) ms += b[i] ** 2 + b[i + 1] ** 2;
  const rms = Math.sqrt(ms / (b.length / 2));
  for (let r = from; r < rows - from; r++)
    for (let c = 0; c < cols; c++) {
      const i = 2 * (r * cols + c);
      worst = Math.max(worst, Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]) / rms);
    }
  return worst;
}

describe('bandAnalysisInWindows (theta 5–11 Hz, 120 s, 997-row windows)', () => {
  it('gives the whole array band bit for bit, and its phase and power within the stated tolerance', async () => {
    const whole = bandAnalysis({ data, rows, cols }, { ...band, precision: 'float64' });
    expect(Array.from(whole.filtered.data)).toEqual(
      Array.from(bandFilter({ data, rows, cols }, { ...band, precision: 'float64' }).data),
    );
    const w = await windowed({ windowRows: 997 });
    expect(w.windows).toBe(Math.ceil(rows / 997));
    expect(w.filtered).toEqual(whole.filtered.data);
    const z = new Float64Array(2 * rows * cols);
    whole.phase.data.forEach((p, i) => {
      const r = Math.sqrt(whole.power.data[i]);
      z.set([r * Math.cos(p), r * Math.sin(p)], 2 * i);
    });
    // the whole array's wrap-around, ~1/(ω·distance to the end): 1 / 5 / 10 / 20 s from the ends
    // measured 1.0e-2, 2.0e-3, 1.0e-3, 5e-4
    // (the first and last samples: up to ~0.6, the whole array's FFT sees them next to each other)
    expect(analyticError(w.z, z, 1 * fs)).toBeLessThan(2e-2);
    expect(analyticError(w.z, z, 5 * fs)).toBeLessThan(4e-3);
    expect(analyticError(w.z, z, 10 * fs)).toBeLessThan(2e-3);
    expect(analyticError(w.z, z, 20 * fs)).toBeLessThan(1e-3);
    // phase where the band is not near silent: within 5e-3 rad 10 s from the ends
    let worst = 0,
      mean = 0;
    whole.power.data.forEach((p) => (mean += p / whole.power.data.length));
    for (let i = 10 * fs * cols; i < (rows - 10 * fs) * cols; i++) {
      if (whole.power.data[i] < 0.01 * mean) continue;
      const d = w.phase[i] - whole.phase.data[i];
      worst = Math.max(worst, Math.abs(Math.atan2(Math.sin(d), Math.cos(d))));
    }
    expect(worst).toBeLessThan(5e-3);
  }, 120_000);

  it("tapers the margins: away from the ends, the default 5 s margin is within 2e-4 of a 40 s margin's", async () => {
    // untapered (a hard cut at the margin's end, both runs): 2.7e-4 at 5 s
    const reference = await windowed({ windowRows: 60_000, marginSeconds: 40 });
    expect(analyticError((await windowed({ windowRows: 997 })).z, reference.z, 40 * fs)).toBeLessThan(2e-4);
    expect(analyticError((await windowed({ windowRows: 997, marginSeconds: 1 })).z, reference.z, 40 * fs)).toBeLessThan(
      1e-3,
    );
  }, 120_000);
});
