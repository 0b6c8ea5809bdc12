// The shared event core: against a brute-force plain reference of ripple_detection's rule, hand
// cases, NaN and gaps, tiny inputs, one channel, and typed errors for bad parameters.
import { ParameterError, createRng, gaussianFilter1d } from '@spyglass-wasm/core';
import { describe, expect, it } from 'vitest';
import {
  detectEvents,
  interpolateToTimes,
  karlssonRippleDetector,
  kayRippleDetector,
  minimumSampleCount,
  multiunitHseDetector,
  speedFromPosition,
  thresholdBlocks,
} from '../src/index.js';

/** Brute force: every maximal run z ≥ 0 of ≥ nMin samples holding a run z ≥ thr of ≥ nMin samples. */
function bruteForce(z: number[], nMin: number, thr: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < z.length; a++) {
    if (!(z[a] >= 0) || (a > 0 && z[a - 1] >= 0)) continue;
    let b = a;
    while (b + 1 < z.length && z[b + 1] >= 0) b++;
    let longest = 0,
      run = 0;
    for (let i = a; i <= b; i++) longest = Math.max(longest, (run = z[i] >= thr ? run + 1 : 0));
    if (b - a + 1 >= nMin && longest >= nMin) out.push([a, b]);
  }
  return out;
}

describe('threshold, extension to the mean, minimum duration', () => {
  it('hand case: the run above threshold must itself last the minimum duration', () => {
    const z = [-1, 0.5, 2.5, 2.6, 2.2, 0.3, -0.2, 0.4, 3.0, 0.1, -1, 0.2, 2.1, 2.1, 2.1, 0.5, -1];
    // nMin 3: only the first above-mean run has ≥ 3 samples ≥ 2; [7..9] peaks once; [11..15] holds 3.
    expect(thresholdBlocks(z, [[0, z.length]], { minSamples: 3, threshold: 2 })).toEqual([
      [1, 5],
      [11, 15],
    ]);
    expect(thresholdBlocks(z, [[0, z.length]], { minSamples: 1, threshold: 2 })).toEqual([
      [1, 5],
      [7, 9],
      [11, 15],
    ]);
    expect(
      thresholdBlocks(
        z,
        [
          [0, 6],
          [6, z.length],
        ],
        { minSamples: 3, threshold: 2 },
      ),
    ).toEqual([
      [1, 5],
      [11, 15],
    ]);
  });

  it('matches the brute-force reference on 200 random smoothed traces', () => {
    const rng = createRng(17);
    for (let k = 0; k < 200; k++) {
      const n = 50 + rng.int(400);
      const z = Array.from(
        gaussianFilter1d(
          Float64Array.from({ length: n }, () => rng.normal()),
          1 + rng.uniform() * 4,
        ),
        (q) => q * 3,
      );
      const nMin = 1 + rng.int(12),
        thr = rng.uniform() * 3;
      expect(thresholdBlocks(z, [[0, n]], { minSamples: nMin, threshold: thr })).toEqual(bruteForce(z, nMin, thr));
    }
  });

  it('minimum duration in samples is round-half-up of duration / median step', () => {
    const t1k = Float64Array.from({ length: 10 }, (_, i) => i / 1000);
    const t1500 = Float64Array.from({ length: 10 }, (_, i) => i / 1500);
    expect(minimumSampleCount(t1k, 0.015)).toBe(15);
    expect(minimumSampleCount(t1500, 0.015)).toBe(23); // 22.5 → 23, as ripple_detection
    expect(minimumSampleCount(t1k, 0)).toBe(1);
    expect(minimumSampleCount([5], 0.015)).toBe(1);
  });

  it('detectEvents z-scores the trace and reports start, peak and end times', () => {
    const trace = new Float64Array(1000);
    for (let i = 400; i < 430; i++) trace[i] = 10 * Math.sin((Math.PI * (i - 400)) / 30);
    const time = Float64Array.from(trace, (_, i) => 5 + i / 1000);
    const [e, ...rest] = detectEvents(trace, { time, zscoreThreshold: 2 });
    expect(rest).toEqual([]);
    // the mean is 0.19: the event is the samples at or above it, 401..429 (trace[400] = 0)
    expect([e.startIndex, e.endIndex]).toEqual([401, 429]);
    expect([e.start, e.peak, e.end]).toEqual([time[401], time[415], time[429]]);
    expect(e.duration).toBeCloseTo(e.end - e.start, 12);
  });
});

describe('speed gate and close events', () => {
  const trace = new Float64Array(2000);
  for (const c of [500, 600, 1500])
    for (let i = c - 20; i < c + 20; i++) trace[i] = 10 * Math.cos((Math.PI * (i - c)) / 40);
  const time = Float64Array.from(trace, (_, i) => i / 1000);
  it("'endpoints' (default) tests first and last sample; 'all' tests every sample", () => {
    const speed = new Float64Array(2000).fill(1);
    speed[600] = 30; // a movement blip at the second event's peak
    expect(detectEvents(trace, { time, speed }).length).toBe(3);
    expect(detectEvents(trace, { time, speed, speedRule: 'all' }).map((e) => Math.round(e.peak * 1000))).toEqual([
      500, 1500,
    ]);
    speed[1490] = 30;
    expect(detectEvents(trace, { time, speed, speedRule: 'mean' }).length).toBe(3);
  });
  it('drops an event starting within closeEventThreshold of the last kept one (the first is kept)', () => {
    const all = detectEvents(trace, { time });
    const gap = all[1].start - all[0].end;
    expect(detectEvents(trace, { time, closeEventThreshold: gap + 0.001 }).map((e) => e.peak)).toEqual([
      all[0].peak,
      all[2].peak,
    ]);
    expect(detectEvents(trace, { time, closeEventThreshold: gap }).length).toBe(3); // equal gap is kept
  });
});

describe('NaN, gaps, tiny inputs, one channel', () => {
  const rng = createRng(2);
  const fs = 1000,
    n = 3000;
  const band = Float64Array.from(
    { length: n },
    (_, i) => rng.normal() * 5 + 60 * Math.exp(-0.5 * ((i - 1500) / 12) ** 2) * Math.sin((2 * Math.PI * 180 * i) / fs),
  );
  it('one channel as a bare typed array works for Kay and Karlsson alike', () => {
    const kay = kayRippleDetector(band, { fs });
    const karlsson = karlssonRippleDetector(band, { fs });
    expect(kay.map((e) => Math.round(e.peak * 100))).toContain(150);
    expect(karlsson.map((e) => Math.round(e.peak * 100))).toContain(150);
  });
  it('a NaN sample is missing: no event spans it', () => {
    const holed = band.slice();
    holed[1500] = NaN;
    const events = kayRippleDetector(holed, { fs });
    for (const e of events) expect(e.startIndex > 1500 || e.endIndex < 1500).toBe(true);
    // the ripple is cut in two at the hole; both halves are still found, next to it
    expect(events.length).toBeGreaterThanOrEqual(1);
    for (const e of events) expect(Math.abs(e.peak - 1.5)).toBeLessThan(0.05);
    const speed = new Float64Array(n).fill(1);
    speed[1500] = NaN; // a NaN speed also marks the sample missing
    expect(kayRippleDetector(band, { fs, speed }).every((e) => e.startIndex > 1500 || e.endIndex < 1500)).toBe(true);
    expect(kayRippleDetector(new Float64Array(50).fill(NaN), { fs })).toEqual([]);
  });
  it('a time gap splits the recording: no event spans it', () => {
    const time = Float64Array.from({ length: n }, (_, i) => i / fs + (i >= 1500 ? 2 : 0));
    for (const e of kayRippleDetector(band, { fs, time })) expect(e.startIndex >= 1500 || e.endIndex < 1500).toBe(true);
  });
  it('1 and 2 samples give no events and no error', () => {
    for (const rows of [1, 2]) {
      const x = { data: new Float64Array(rows * 4).fill(1), rows, cols: 4 };
      expect(kayRippleDetector(x, { fs })).toEqual([]);
      expect(karlssonRippleDetector(x, { fs })).toEqual([]);
      expect(multiunitHseDetector(x, { fs })).toEqual([]);
      expect(detectEvents(new Float64Array(rows), { time: new Float64Array(rows).map((_, i) => i) })).toEqual([]);
    }
  });
  it('a flat trace (zero spread) has no events', () => {
    expect(
      detectEvents(new Float64Array(100).fill(3), { time: Float64Array.from({ length: 100 }, (_, i) => i / 1000) }),
    ).toEqual([]);
  });
});

describe('bad parameters throw ParameterError naming the parameter', () => {
  const x = new Float64Array(100);
  const t = Float64Array.from(x, (_, i) => i / 1000);
  it.each([
    ['fs', () => kayRippleDetector(x, { fs: 0 })],
    ['fs', () => multiunitHseDetector(x, { fs: Number.NaN })],
    ['zscoreThreshold', () => kayRippleDetector(x, { fs: 1000, zscoreThreshold: -1 })],
    ['minimumDuration', () => karlssonRippleDetector(x, { fs: 1000, minimumDuration: -0.1 })],
    ['smoothingSigma', () => kayRippleDetector(x, { fs: 1000, smoothingSigma: -1 })],
    ['speed', () => kayRippleDetector(x, { fs: 1000, speed: new Float64Array(3) })],
    ['speedRule', () => detectEvents(x, { time: t, speedRule: 'some' as never })],
    ['time', () => kayRippleDetector(x, { fs: 1000, time: new Float64Array(5) })],
    ['time', () => detectEvents(x, { time: new Float64Array(5) })],
    ['time', () => detectEvents(x, {})],
    ['timestamps', () => detectEvents(x, { timestamps: t } as never)],
    ['normalizationMask', () => detectEvents(x, { time: t, normalizationMask: [true] })],
    ['closeEventThreshold', () => detectEvents(x, { time: t, closeEventThreshold: -1 })],
  ])('%s', (name, call) => {
    expect(call).toThrow(ParameterError);
    expect(call).toThrow(new RegExp(`'${name}'`));
  });
});

describe('speed for the gate', () => {
  it('smoothing the velocity cancels position jitter that would read as running', () => {
    const rng = createRng(9);
    const n = 900,
      t = Float64Array.from({ length: n }, (_, i) => i / 30);
    const xy = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      xy[2 * i] = (i < 450 ? 0.1 * t[i] : 0.1 * t[449]) + rng.normal() * 0.003; // metres: 10 cm/s, then still
      xy[2 * i + 1] = 0.5 + rng.normal() * 0.003;
    }
    const speed = speedFromPosition({ data: xy, rows: n, cols: 2 }, t, { scale: 100 });
    expect(Math.abs(speed[200] - 10)).toBeLessThan(1.5);
    expect(Math.max(...speed.subarray(520, 880))).toBeLessThan(4); // still despite 3 mm jitter
    const raw = speedFromPosition({ data: xy, rows: n, cols: 2 }, t, { scale: 100, sigma: 0 });
    expect(Math.max(...raw.subarray(520, 880))).toBeGreaterThan(10); // unsmoothed jitter looks like running
  });
  it('interpolateToTimes is linear inside and holds the end values outside', () => {
    expect(Array.from(interpolateToTimes([0, 10, 30], [0, 1, 2], [-1, 0.5, 1, 1.25, 5]))).toEqual([0, 5, 10, 15, 30]);
    expect(() => interpolateToTimes([1, 2], [0], [0])).toThrow(ParameterError);
  });
});

describe('detectEvents(trace, { fs }) takes the times from the rate', () => {
  it('equals passing the times', () => {
    const trace = Float64Array.from(
      { length: 3000 },
      (_, i) => Math.exp(-0.5 * ((i - 1500) / 20) ** 2) + 0.01 * Math.sin(i),
    );
    const time = Float64Array.from(trace, (_, i) => 2 + i / 1000);
    expect(detectEvents(trace, { fs: 1000, startTime: 2 })).toEqual(detectEvents(trace, { time }));
    expect(detectEvents(trace, { fs: 1000, startTime: 2 }).length).toBe(1);
    expect(() => detectEvents(trace, { fs: 0 })).toThrow(/'fs'/);
  });
});
