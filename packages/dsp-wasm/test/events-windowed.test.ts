// detectRipplesInWindows (the ripples step's path: the LFP read in windows) against the whole-array
// detectors on the same LFP: 240 s of 1 kHz 4-channel LFP with ripples every ~0.7 s, a run of
// missing samples, a recording gap and speed, cut into windows of 997 rows (241 windows), so many
// events cross a window's edge.
import { createRng } from '@spyglass-wasm/core';
import { describe, expect, it } from 'vitest';
import { addRipples } from './ripple-lfp.js';
import {
  bandFilter,
  detectRipplesInWindows,
  karlssonRippleDetector,
  kayRippleDetector,
  kayConsensusTrace,
  type DetectedEvent,
} from '../src/index.js';
import { kayConsensusWindow } from '../src/events/consensus.js';

const fs = 1000,
  rows = 240 * fs,
  cols = 4,
  windowRows = 997;
const rng = createRng(7);
const lfp = new Float32Array(rows * cols);
const brown = new Float64Array(cols);
for (let i = 0; i < rows; i++)
  for (let c = 0; c < cols; c++) {
    brown[c] = 0.995 * brown[c] + rng.normal() * 6;
    lfp[i * cols + c] = brown[c] + 100 * Math.sin((2 * Math.PI * 8 * i) / fs + c) + rng.normal() * 8;
  }
addRipples(lfp, { rows, cols, fs, rng, every: [0.4, 0.6] });
// a 2 s recording gap at 100 s, and speed: still, running from 150 to 160 s, unknown for 0.5 s at 60 s
const time = Float64Array.from({ length: rows }, (_, i) => i / fs + (i >= 100 * fs ? 2 : 0));
const speed = Float64Array.from({ length: rows }, (_, i) =>
  i >= 60_000 && i < 60_500 ? NaN : i >= 150_000 && i < 160_000 ? 20 : 1,
);
const band = { band: [150, 250] as [number, number], transition: 25 };
const common = { fs, time, speed, smoothingSigma: 0.004, minimumDuration: 0.015 };
const reader = { rows, cols, read: (a: number, b: number) => lfp.slice(a * cols, b * cols) };

function whole(detector: 'kay' | 'karlsson'): DetectedEvent[] {
  const filtered = bandFilter({ data: lfp, rows, cols }, { fs, ...band, precision: 'float64' });
  const detect = detector === 'kay' ? kayRippleDetector : karlssonRippleDetector;
  return detect(filtered, { ...common, zscoreThreshold: detector === 'kay' ? 2 : 3 });
}

async function windowed(detector: 'kay' | 'karlsson', marginSeconds?: number): Promise<DetectedEvent[]> {
  return detectRipplesInWindows(reader, {
    ...common,
    detector,
    band,
    windowRows,
    marginSeconds,
    zscoreThreshold: detector === 'kay' ? 2 : 3,
  });
}

const crossing = (events: DetectedEvent[]) =>
  events.filter((e) => Math.floor(e.startIndex / windowRows) !== Math.floor(e.endIndex / windowRows));

/** Same events: sample indices, times and speeds identical; z and peak frequency within `tol` relative. */
function expectSame(a: DetectedEvent[], b: DetectedEvent[], tol: number) {
  expect(a.length).toBe(b.length);
  const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1e-12, Math.abs(y));
  let worst = 0;
  a.forEach((e, i) => {
    const f = b[i];
    expect([e.startIndex, e.peakIndex, e.endIndex]).toEqual([f.startIndex, f.peakIndex, f.endIndex]);
    expect([e.start, e.peak, e.end, e.speedAtPeak]).toEqual([f.start, f.peak, f.end, f.speedAtPeak]);
    worst = Math.max(worst, rel(e.maxZscore, f.maxZscore), rel(e.meanZscore, f.meanZscore));
    worst = Math.max(worst, rel(e.peakFrequency, f.peakFrequency));
  });
  expect(worst).toBeLessThan(tol);
  return worst;
}

// The band of each window is exact (bit-identical here) and so is the peak frequency; the envelope
// near a block's ends differs (the whole block's FFT wraps its far end around, a window's does not),
// which moves the block's mean and SD: z by ~1e-6 relative (Kay), ~2e-5 (Karlsson, one channel's).
const TOLERANCE = { kay: 5e-6, karlsson: 5e-5 };

describe('detectRipplesInWindows', () => {
  for (const detector of ['kay', 'karlsson'] as const) {
    it(`gives the whole-array ${detector} events, windows of ${windowRows} rows`, async () => {
      const a = await windowed(detector);
      const b = whole(detector);
      expect(b.length).toBeGreaterThan(100);
      expect(crossing(b).length).toBeGreaterThan(10);
      expectSame(a, b, TOLERANCE[detector]);
    }, 120_000);
  }

  it('with a margin shorter than the smoothing, is refused', async () => {
    await expect(windowed('kay', 0.01)).rejects.toThrow(/marginSeconds/);
  });
});

describe('kayConsensusWindow', () => {
  // white noise through the ripple band, 60 s; the window is rows 20 000–30 000 of one block
  const n = 60_000;
  const noise = Float32Array.from({ length: n * cols }, () => rng.normal() * 10);
  const b = bandFilter({ data: noise, rows: n, cols }, { fs, ...band, precision: 'float64' });
  const trace = kayConsensusTrace(b, [[0, n]], { fs, sigma: 0.004 });
  const scale = Math.max(...trace);
  const error = (margin: number) => {
    const lo = 20_000 - margin,
      hi = 30_000 + margin;
    const span = { data: b.data.subarray(lo * cols, hi * cols), rows: hi - lo, cols };
    const w = kayConsensusWindow({ span, lo, start: 20_000, stop: 30_000, blocks: [[lo, hi]] }, { fs, sigma: 0.004 });
    return Math.max(...w.map((v, i) => Math.abs(v - trace[20_000 + i]))) / scale;
  };

  it('is the whole trace within 3e-7 of its scale with the default 1 s margin, 1e-5 with 50 ms', () => {
    expect(error(1000)).toBeLessThan(3e-7);
    expect(error(50)).toBeGreaterThan(10 * error(1000));
    expect(error(50)).toBeLessThan(1e-5);
  });
});
