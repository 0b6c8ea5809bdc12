// The detectors against an independent numpy/scipy statement of ripple_detection's semantics
// (scripts/make-events-vectors.py): blocks at NaN rows and time gaps, envelope, smoothing,
// z-score, threshold-and-extend, merging, speed gate and close-event rule.
import { describe, expect, it } from 'vitest';
import {
  karlssonRippleDetector,
  kayConsensusTrace,
  kayRippleDetector,
  multiunitHseDetector,
  validBlocks,
} from '../src/index.js';
import v from './vectors/events-detectors.json';

const x = { data: Float64Array.from(v.x, (q) => q ?? NaN), rows: v.rows, cols: v.cols };
const time = Float64Array.from(v.time);
const speed = Float64Array.from(v.speed);
const still = new Float64Array(v.rows);
const spans = (events: { start: number; end: number }[]) => events.map((e) => [e.start, e.end]);

describe('Kay detector (vs the numpy statement of ripple_detection)', () => {
  it('splits at the missing rows and the time gap as ripple_detection does', () => {
    const valid = Array.from({ length: v.rows }, (_, r) => [0, 1, 2].every((c) => Number.isFinite(x.data[r * 3 + c])));
    expect(validBlocks(valid, time)).toEqual(v.blocks);
  });
  it('consensus trace √(smooth(Σ envelope²)) matches to 1e-9 relative', () => {
    const trace = kayConsensusTrace(x, v.blocks as [number, number][], { fs: v.fs, sigma: 0.004 });
    let worst = 0;
    v.kay_trace.forEach((e, i) => {
      if (e === null) expect(Number.isNaN(trace[i])).toBe(true);
      else worst = Math.max(worst, Math.abs(trace[i] - e) / e);
    });
    expect(worst).toBeLessThan(1e-9);
  });
  it('finds the same events: no speed, speed gate, close-event rule, stricter threshold and duration', () => {
    expect(spans(kayRippleDetector(x, { fs: v.fs, time, speed: still }))).toEqual(v.kay_nospeed);
    expect(spans(kayRippleDetector(x, { fs: v.fs, time }))).toEqual(v.kay_nospeed);
    expect(spans(kayRippleDetector(x, { fs: v.fs, time, speed }))).toEqual(v.kay);
    expect(spans(kayRippleDetector(x, { fs: v.fs, time, speed, closeEventThreshold: 0.1 }))).toEqual(v.kay_close);
    expect(spans(kayRippleDetector(x, { fs: v.fs, time, speed, zscoreThreshold: 3, minimumDuration: 0.025 }))).toEqual(
      v.kay_z3_25ms,
    );
  });
  it('peaks lie at the simulated ripples (gap-shifted after 2 s)', () => {
    const events = kayRippleDetector(x, { fs: v.fs, time, speed: still });
    const truth = v.ripples.map((t) => 100 + t + (t >= 2 ? 0.5 : 0));
    for (const e of events) expect(Math.min(...truth.map((t) => Math.abs(t - e.peak)))).toBeLessThan(0.01);
    for (const e of events) expect(e.maxZscore).toBeGreaterThanOrEqual(2);
  });
});

describe('Karlsson detector', () => {
  it('per-channel events merged, then gated: same events as the numpy statement', () => {
    expect(spans(karlssonRippleDetector(x, { fs: v.fs, time, speed }))).toEqual(v.karlsson);
    expect(spans(karlssonRippleDetector(x, { fs: v.fs, time }))).toEqual(v.karlsson_nospeed);
  });
  it("gives the same events with the envelope FFTs on the 'reference' backend, for both detectors", () => {
    for (const detector of [kayRippleDetector, karlssonRippleDetector])
      expect(detector(x, { fs: v.fs, time, speed, backend: 'reference' })).toEqual(
        detector(x, { fs: v.fs, time, speed }),
      );
    expect(() => kayConsensusTrace(x, [[0, 10]], { fs: v.fs, sigma: 0.004, pad: 'pow2' } as never)).toThrow(/'pad'/);
  });
  it('catches the ripple seen on one channel only, which the Kay consensus misses', () => {
    const single = 100 + 2.75 + 0.5;
    expect(karlssonRippleDetector(x, { fs: v.fs, time }).some((e) => Math.abs(e.peak - single) < 0.01)).toBe(true);
    expect(kayRippleDetector(x, { fs: v.fs, time }).some((e) => Math.abs(e.peak - single) < 0.01)).toBe(false);
  });
});

describe('multiunit HSE detector', () => {
  const counts = { data: Float64Array.from(v.mua.counts), rows: v.rows, cols: v.mua.units };
  it('population rate smoothed σ 15 ms, z-scored: same events as the numpy statement', () => {
    expect(spans(multiunitHseDetector(counts, { fs: v.fs, time }))).toEqual(v.mua.events);
    expect(spans(multiunitHseDetector(counts, { fs: v.fs, time, speed, useSpeedThresholdForZscore: true }))).toEqual(
      v.mua.events_still_z,
    );
    const truth = v.mua.bursts.map((t) => 100 + t + (t >= 2 ? 0.5 : 0));
    for (const e of multiunitHseDetector(counts, { fs: v.fs, time }))
      expect(Math.min(...truth.map((t) => Math.abs(t - e.peak)))).toBeLessThan(0.04);
  });
});

describe("envelopePadding: 'pow2'", () => {
  it('gives the same events as next_fast_len padding (the envelopes differ only near block edges)', () => {
    for (const detector of [kayRippleDetector, karlssonRippleDetector]) {
      expect(spans(detector(x, { fs: v.fs, time, speed, envelopePadding: 'pow2' }))).toEqual(
        spans(detector(x, { fs: v.fs, time, speed })),
      );
    }
    expect(() => kayRippleDetector(x, { fs: v.fs, envelopePadding: 'none' as never })).toThrow(/'envelopePadding'/);
  });
});
