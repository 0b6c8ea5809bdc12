// What each ripple event reports beyond its times (duration, mean z-score, peak frequency, speed
// at the event), on synthetic LFP with ripples of known frequency; and why the speed gate needs a
// smoothed speed, not frame differences of raw tracking.
import { describe, expect, it } from 'vitest';
import { gaussianFilter1d } from '@spyglass-wasm/core';
import {
  bandFilter,
  detectEvents,
  interpolateToTimes,
  karlssonRippleDetector,
  kayConsensusTrace,
  kayRippleDetector,
  multiunitHseDetector,
  speedFromPosition,
  zscore,
  type DetectedEvent,
} from '../src/index.js';

/** Seeded uniform (mulberry32) and normal (Box–Muller) draws, so the test needs no other package. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

const fs = 1000;
type Ripple = { peak: number; freq: number };

/** LFP (time × cols) at 1 kHz: brown + white noise and 8 Hz theta, plus Gaussian-envelope ripples (σ 15 ms, 40 µV). */
function lfpWithRipples(seconds: number, cols: number, ripples: Ripple[], seed: number) {
  const rng = seeded(seed),
    rows = seconds * fs,
    data = new Float64Array(rows * cols),
    brown = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++) {
      brown[c] = 0.995 * brown[c] + rng.normal() * 6;
      data[i * cols + c] = brown[c] + 100 * Math.sin(2 * Math.PI * 8 * (i / fs) + c * 0.2) + rng.normal() * 8;
    }
  }
  for (const r of ripples) {
    for (
      let i = Math.max(0, Math.floor((r.peak - 0.08) * fs));
      i < Math.min(rows, Math.ceil((r.peak + 0.08) * fs));
      i++
    ) {
      const t = i / fs,
        env = 40 * Math.exp(-0.5 * ((t - r.peak) / 0.015) ** 2);
      for (let c = 0; c < cols; c++)
        data[i * cols + c] += env * (0.8 + 0.1 * c) * Math.sin(2 * Math.PI * r.freq * t + c);
    }
  }
  return bandFilter({ data, rows, cols }, { fs, band: 'ripple' });
}

const near = (events: DetectedEvent[], r: Ripple) => events.find((e) => Math.abs(e.peak - r.peak) < 0.02);

describe('event statistics', () => {
  const ripples: Ripple[] = [160, 180, 200, 230, 180, 170, 210, 190].map((freq, k) => ({ peak: 0.75 + k * 1.1, freq }));
  const band = lfpWithRipples(10, 3, ripples, 7);
  const time = Float64Array.from({ length: band.rows }, (_, i) => i / fs);
  const speed = Float64Array.from(time, (t) => 1 + Math.sin(t)); // 0–2 cm/s: every event passes the gate

  it.each([
    ['Kay', kayRippleDetector],
    ['Karlsson', karlssonRippleDetector],
  ] as const)("%s: peak frequency within 4 Hz of each ripple's frequency (160–230 Hz)", (_, detector) => {
    const events = detector(band, { fs, time, speed }),
      errors: number[] = [];
    for (const r of ripples) {
      const e = near(events, r);
      expect(e, `ripple at ${r.peak} s`).toBeDefined();
      expect(Math.abs(e!.peakFrequency - r.freq), `${r.freq} Hz ripple`).toBeLessThan(4);
      errors.push(Math.abs(e!.peakFrequency - r.freq));
    }
    expect(errors.reduce((s, v) => s + v, 0) / errors.length).toBeLessThan(2); // measured: ~1.2 Hz
  });

  it('duration, max and mean z-score are those of the z-scored consensus trace over the event', () => {
    const events = kayRippleDetector(band, { fs, time, speed });
    expect(events.length).toBeGreaterThanOrEqual(ripples.length);
    const z = zscore(kayConsensusTrace(band, [[0, band.rows]], { fs, sigma: 0.004 }));
    for (const e of events) {
      const span = z.subarray(e.startIndex, e.endIndex + 1);
      expect(e.duration).toBe(time[e.endIndex] - time[e.startIndex]);
      expect(e.maxZscore).toBeCloseTo(Math.max(...span), 12);
      expect(e.meanZscore).toBeCloseTo(span.reduce((s, v) => s + v, 0) / span.length, 12);
      expect(z[e.peakIndex]).toBe(e.maxZscore);
      expect(e.peak).toBe(time[e.peakIndex]);
      // the event runs from where the trace rises above its mean to where it falls back
      expect(Math.min(...span)).toBeGreaterThanOrEqual(0);
      expect(e.meanZscore).toBeLessThan(e.maxZscore);
      expect([e.speedAtPeak, e.speedAtStart, e.speedAtEnd]).toEqual([
        speed[e.peakIndex],
        speed[e.startIndex],
        speed[e.endIndex],
      ]);
    }
  });

  it('without speed the speed fields are NaN; without LFP (detectEvents, multiunit) the peak frequency is', () => {
    const [e] = kayRippleDetector(band, { fs, time });
    expect([e.speedAtPeak, e.speedAtStart, e.speedAtEnd, e.meanSpeed].every(Number.isNaN)).toBe(true);
    const trace = Float64Array.from(
      { length: 2000 },
      (_, i) => Math.exp(-0.5 * ((i - 1000) / 20) ** 2) + 0.01 * Math.sin(i),
    );
    const [d] = detectEvents(trace, { fs });
    expect(Number.isNaN(d.peakFrequency)).toBe(true);
    const counts = { data: Float64Array.from(trace, (v) => (v > 0.5 ? 1 : 0)), rows: trace.length, cols: 1 };
    expect(multiunitHseDetector(counts, { fs }).every((h) => Number.isNaN(h.peakFrequency))).toBe(true);
  });
});

describe('the speed gate needs a smoothed speed', () => {
  // 60 s at rest (head fixed at 50, 50 cm) with 20 ripples; the camera (30 Hz) jitters 0.5 cm per axis.
  const ripples: Ripple[] = Array.from({ length: 20 }, (_, k) => ({ peak: 1.5 + k * 2.9, freq: 180 }));
  const band = lfpWithRipples(60, 2, ripples, 11);
  const lfpTimes = Float64Array.from({ length: band.rows }, (_, i) => i / fs);
  const rng = seeded(3),
    camFs = 30,
    frames = 60 * camFs;
  const camTimes = Float64Array.from({ length: frames }, (_, i) => i / camFs);
  const xy = Float64Array.from({ length: 2 * frames }, () => 50 + 0.5 * rng.normal());

  /** Frame-to-frame speed of the raw tracking (what not to do). */
  const rawSpeed = Float64Array.from({ length: frames }, (_, i) => {
    const j = Math.max(1, i);
    return Math.hypot(xy[2 * j] - xy[2 * j - 2], xy[2 * j + 1] - xy[2 * j - 1]) * camFs;
  });
  /**
   * processPosition's steps by hand: trailing 3-frame mean (0.125 s), central differences, Gaussian σ 0.1 s to 8 σ,
   * norm.
   */
  const smoothedSpeed = (() => {
    const axis = (c: number) => {
      const p = Float64Array.from({ length: frames }, (_, i) => {
        const from = Math.max(0, i - 2);
        let s = 0;
        for (let j = from; j <= i; j++) s += xy[2 * j + c];
        return s / (i - from + 1);
      });
      const v = Float64Array.from(
        p,
        (_, i) =>
          (p[Math.min(frames - 1, i + 1)] - p[Math.max(0, i - 1)]) /
          ((Math.min(frames - 1, i + 1) - Math.max(0, i - 1)) / camFs),
      );
      return gaussianFilter1d(v, 0.1 * camFs, { truncate: 8, mode: 'constant' });
    };
    const [vx, vy] = [axis(0), axis(1)];
    return Float64Array.from(vx, (v, i) => Math.hypot(v, vy[i]));
  })();
  /**
   * The same steps but smoothing the speed (|velocity|) instead of each velocity component: jitter's magnitude never
   * averages out.
   */
  const smoothedMagnitude = (() => {
    const p = (c: number) =>
      Float64Array.from({ length: frames }, (_, i) => {
        const from = Math.max(0, i - 2);
        let s = 0;
        for (let j = from; j <= i; j++) s += xy[2 * j + c];
        return s / (i - from + 1);
      });
    const [px, py] = [p(0), p(1)];
    const v = Float64Array.from(px, (_, i) => {
      const a = Math.max(0, i - 1),
        b = Math.min(frames - 1, i + 1);
      return (Math.hypot(px[b] - px[a], py[b] - py[a]) * camFs) / (b - a);
    });
    return gaussianFilter1d(v, 0.1 * camFs, { truncate: 8, mode: 'constant' });
  })();
  const kept = (speedAtCamera: Float64Array) => {
    const events = kayRippleDetector(band, {
      fs,
      time: lfpTimes,
      speed: interpolateToTimes(speedAtCamera, camTimes, lfpTimes),
    });
    return ripples.filter((r) => near(events, r)).length;
  };

  it('raw frame differences read 0.5 cm jitter as running: the gate rejects most true ripples at rest', () => {
    const median = Float64Array.from(rawSpeed).sort()[frames >> 1];
    expect(median).toBeGreaterThan(15); // ~ 0.5 cm · √2 · 30 Hz · 1.18 ≈ 25 cm/s
    expect(kept(rawSpeed)).toBeLessThanOrEqual(4); // measured: 0 of 20
  });

  it('smoothing the speed instead of the velocity is not enough: jitter still reads as ~6 cm/s', () => {
    expect(Float64Array.from(smoothedMagnitude).sort()[frames >> 1]).toBeGreaterThan(4);
    expect(kept(smoothedMagnitude)).toBeLessThanOrEqual(4); // measured: 0 of 20 (median speed 6.2 cm/s)
  });

  it('a smoothed speed (processPosition-like, or speedFromPosition) keeps every one of them', () => {
    expect(smoothedSpeed.filter((v) => v > 4).length).toBeLessThan(frames / 100); // measured: 3 of 1800 frames
    expect(kept(smoothedSpeed)).toBe(20);
    expect(kept(speedFromPosition({ data: xy, rows: frames, cols: 2 }, camTimes))).toBe(20);
    // and without any speed all 20 are found, so the difference is the gate's alone
    expect(ripples.filter((r) => near(kayRippleDetector(band, { fs, time: lfpTimes }), r)).length).toBe(20);
  });
});
