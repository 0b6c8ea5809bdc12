import { describe, expect, it } from 'vitest';
import { createRng, gaussianFilter1d } from '@spyglass-wasm/core';
import {
  LfpFilter,
  bandAnalysis,
  bandFilter,
  commonReference,
  detectLfpArtifacts,
  karlssonRippleDetector,
  kayRippleDetector,
  lfp,
  lfpDesign,
  madNoiseLevel,
  multiunitHseDetector,
  whiten,
  zscore,
} from '../src/index.js';
import v from './vectors/lfp.json';

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number | null>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) {
    const e = b[i];
    if (e === null) expect(Number.isNaN(a[i])).toBe(true);
    else w = Math.max(w, Math.abs(a[i] - e));
  }
  return w;
}

describe('smoothing and z-scores (vs scipy.ndimage / scipy.stats)', () => {
  it('gaussianFilter1d matches gaussian_filter1d for reflect, constant (truncate 8) and nearest', () => {
    const g = v.gauss;
    expect(maxDiff(gaussianFilter1d(g.x, 3), g.s3)).toBeLessThan(1e-12);
    expect(maxDiff(gaussianFilter1d(g.x, 4, { truncate: 8, mode: 'constant' }), g.s4_t8_const)).toBeLessThan(1e-12);
    expect(maxDiff(gaussianFilter1d(g.x, 2.5, { mode: 'nearest' }), g.s2p5_nearest)).toBeLessThan(1e-12);
    // kernel longer than the signal
    expect(maxDiff(gaussianFilter1d(g.x.slice(0, 30), 40), g.s40_reflect)).toBeLessThan(1e-12);
  });
  it("zscore ignores NaN like nan_policy='omit'", () => {
    expect(maxDiff(zscore(v.zscore.x.map((q) => q ?? NaN)), v.zscore.z)).toBeLessThan(1e-12);
  });
});

describe('referencing, noise level, whitening', () => {
  const r = v.reference;
  const x = { data: Float64Array.from(r.x), rows: r.rows, cols: r.cols };
  it('common median / mean reference and MAD noise match numpy', () => {
    expect(maxDiff(commonReference(x).data, r.median)).toBeLessThan(1e-12);
    expect(maxDiff(commonReference(x, { method: 'mean', channels: [0, 2, 3] }).data, r.mean_sub)).toBeLessThan(1e-12);
    expect(maxDiff(madNoiseLevel(x), r.mad)).toBeLessThan(1e-12);
    expect(() => commonReference(x, { channels: [7] })).toThrow(/'channels'/);
  });
  it('whitening gives identity covariance and reapplies to new data', () => {
    const rng = createRng(3);
    const rows = 20000,
      cols = 4;
    const d = new Float64Array(rows * cols);
    for (let t = 0; t < rows; t++) {
      const common = rng.normal() * 5;
      for (let c = 0; c < cols; c++) d[t * cols + c] = common + rng.normal() * (1 + c) + 3;
    }
    const { y, W, mean } = whiten({ data: d, rows, cols });
    for (let i = 0; i < cols; i++)
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let t = 0; t < rows; t++) s += y.data[t * cols + i] * y.data[t * cols + j];
        expect(s / rows).toBeCloseTo(i === j ? 1 : 0, 6);
      }
    for (let i = 0; i < cols; i++)
      for (let j = 0; j < cols; j++) expect(W[i * cols + j]).toBeCloseTo(W[j * cols + i], 12);
    const again = whiten({ data: d.subarray(0, 40), rows: 10, cols }, { W, mean }).y;
    expect(maxDiff(again.data, y.data.subarray(0, 40))).toBeLessThan(1e-12);
  });
});

describe('LFP: Spyglass FIR 0–400 Hz (425 Hz stop, 120 dB) decimated to 1 kHz in one pass', () => {
  const l = v.lfp;
  it('designs its taps from the real rate as scipy kaiserord + firwin', () => {
    const d = lfpDesign({ fs: l.fs });
    expect(d.taps.length).toBe(l.numtaps);
    expect(d.q).toBe(30);
    expect(maxDiff(d.taps.subarray(0, 50), l.taps_head)).toBeLessThan(1e-15);
    expect(maxDiff(d.taps.subarray((l.numtaps >> 1) - 5, (l.numtaps >> 1) + 6), l.taps_mid)).toBeLessThan(1e-14);
    expect(lfpDesign({ fs: 29970 }).taps.length).not.toBe(l.numtaps); // a real, non-nominal rate gets its own design
    expect(() => lfpDesign({ fs: 800 })).toThrow(/'fs'/);
  });
  it("equals scipy's fftconvolve(..., 'same')[::30], and streaming equals one call", () => {
    const x = { data: Float64Array.from(l.x), rows: l.rows, cols: l.cols };
    const out = lfp(x, { fs: l.fs, startTime: 10 });
    expect(out.fs).toBe(1000);
    expect(maxDiff(out.data.data, l.y)).toBeLessThan(1e-9);
    expect(out.timestamps[0]).toBe(10);
    expect(out.timestamps[1]).toBeCloseTo(10.001, 12);
    const f = new LfpFilter<Float64Array>(2, { fs: l.fs, startTime: 10 });
    const parts: number[] = [],
      times: number[] = [];
    for (let r = 0; r < l.rows; r += 4000) {
      const n = Math.min(4000, l.rows - r);
      const o = f.process({ data: x.data.subarray(r * 2, (r + n) * 2), rows: n, cols: 2 });
      parts.push(...o.data.data);
      times.push(...o.timestamps);
    }
    const last = f.flush();
    parts.push(...last.data.data);
    times.push(...last.timestamps);
    expect(maxDiff(parts, l.y)).toBeLessThan(1e-9);
    expect(maxDiff(times, out.timestamps)).toBe(0);
  });
});

/** 1 kHz LFP with ripples (180 Hz bursts, 50 ms) at known times, theta, and noise. */
function syntheticLfp(seconds: number, rippleTimes: number[], seed = 1) {
  const fs = 1000,
    rows = seconds * fs,
    cols = 4;
  const rng = createRng(seed);
  const data = new Float64Array(rows * cols);
  for (let t = 0; t < rows; t++) {
    const time = t / fs;
    let ripple = 0;
    for (const rt of rippleTimes)
      ripple += 60 * Math.exp(-0.5 * ((time - rt) / 0.012) ** 2) * Math.sin(2 * Math.PI * 180 * time);
    for (let c = 0; c < cols; c++)
      data[t * cols + c] = 100 * Math.sin(2 * Math.PI * 8 * time) + ripple * (1 + 0.1 * c) + rng.normal() * 15;
  }
  return { data, rows, cols, fs };
}

describe('bands and ripple detection', () => {
  const truth = [2.5, 7.25, 12.0, 15.5];
  const s = syntheticLfp(20, truth);
  const x = { data: s.data, rows: s.rows, cols: s.cols };
  const ripple = bandFilter(x, { fs: 1000, band: 'ripple' });

  it('theta band keeps 8 Hz and phase/power come from the analytic signal', () => {
    const theta = bandAnalysis(x, { fs: 1000, band: 'theta' });
    const mid = 10000 * 4;
    expect(Math.sqrt(theta.power.data[mid])).toBeGreaterThan(90);
    expect(Math.sqrt(theta.power.data[mid])).toBeLessThan(110);
    expect(Math.abs(theta.phase.data[mid])).toBeLessThanOrEqual(Math.PI);
    expect(() => bandFilter(x, { fs: 1000, band: [5, 600] })).toThrow(/'band'/);
  });

  // Karlsson thresholds each channel's own envelope, which is noisier than Kay's combined power,
  // so at z 2 it also reports single-channel noise bursts; z 3 is ripple_detection's own default.
  it.each([
    ['Kay (z 2)', kayRippleDetector, 2],
    ['Karlsson (z 3)', karlssonRippleDetector, 3],
  ] as const)('%s finds every ripple (peak within 15 ms) and nothing else', (_n, detector, zscoreThreshold) => {
    const events = detector(ripple, { fs: 1000, zscoreThreshold });
    expect(events.length).toBe(truth.length);
    events.forEach((e, i) => {
      expect(Math.abs(e.peak - truth[i])).toBeLessThan(0.015);
      expect(e.duration).toBeGreaterThanOrEqual(0.015);
      expect(e.start).toBeLessThan(e.peak);
      expect(e.end).toBeGreaterThan(e.peak);
    });
  });

  it('the speed gate drops ripples during running', () => {
    const speed = Float64Array.from({ length: s.rows }, (_, i) => (i > 7000 && i < 7500 ? 20 : 1));
    const events = kayRippleDetector(ripple, { fs: 1000, speed });
    expect(events.map((e) => truth.find((t) => Math.abs(t - e.peak) < 0.015))).toEqual([2.5, 12.0, 15.5]);
    expect(() => kayRippleDetector(ripple, { fs: 1000, speed: new Float64Array(3) })).toThrow(/'speed'/);
  });

  it('multiunit HSE detector finds synchronous bursts in spike counts', () => {
    const rng = createRng(8);
    const rows = 20000,
      units = 20;
    const counts = new Float64Array(rows * units);
    const bursts = [3.0, 9.5, 16.2];
    for (let t = 0; t < rows; t++) {
      const inBurst = bursts.some((b) => Math.abs(t / 1000 - b) < 0.05);
      for (let u = 0; u < units; u++) counts[t * units + u] = rng.uniform() < (inBurst ? 0.08 : 0.005) ? 1 : 0;
    }
    const events = multiunitHseDetector({ data: counts, rows, cols: units }, { fs: 1000 });
    expect(events.map((e) => Math.round(e.peak * 10) / 10)).toEqual(bursts);
  });
});

describe('LFP artifact detection', () => {
  const rows = 10000,
    cols = 4;
  const rng = createRng(4);
  const d = Float64Array.from({ length: rows * cols }, () => rng.normal() * 30);
  for (let t = 4000; t < 4010; t++) for (let c = 0; c < cols; c++) d[t * cols + c] += 3000; // a step artifact
  const x = { data: d, rows, cols };
  it.each(['difference', 'mad'] as const)('%s method flags the artifact with its removal window', (method) => {
    // proportion 0.5: on 40,000 Gaussian samples a few single-channel 4σ excursions are expected
    const r = detectLfpArtifacts(x, { fs: 1000, method, proportionAboveMad: 0.5 });
    expect(r.artifactTimes.length).toBe(1);
    const [s, e] = r.artifactTimes[0];
    expect(s).toBeLessThanOrEqual(4.0);
    expect(e).toBeGreaterThanOrEqual(4.009);
    expect(e - s).toBeLessThan(0.06);
    expect(r.validTimes.length).toBe(2);
    expect(r.validTimes[0][0]).toBe(0);
    expect(r.validTimes[1][1]).toBeCloseTo(9.999, 9);
  });
  it('rejects bad parameters', () => {
    expect(() => detectLfpArtifacts(x, { fs: 1000, proportionAboveAmplitude: 2 })).toThrow(
      /'proportionAboveAmplitude'/,
    );
    expect(() => detectLfpArtifacts(x, { fs: 1000, method: 'zscore' as never })).toThrow(/'method'/);
  });
});
