import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { trackLeds } from '@spyglass-wasm/sim';

/** Ten minutes of a slow back-and-forth walk along x, sampled at 100 Hz. */
function walk(seconds = 600) {
  const times = Float64Array.from({ length: seconds * 100 + 1 }, (_, i) => i / 100);
  const x = times.map((t) => 110 + 90 * Math.sin(t / 10)),
    y = times.map(() => 50);
  return { times, x, y };
}

describe('trackLeds', () => {
  it('is reproducible from its seed', () => {
    const a = trackLeds(walk(60), { seed: 2 }),
      b = trackLeds(walk(60), { seed: 2 }),
      c = trackLeds(walk(60), { seed: 3 });
    expect(a.front.data).toEqual(b.front.data);
    expect(a.truth.swaps).toEqual(b.truth.swaps);
    expect(a.front.data).not.toEqual(c.front.data);
  });

  it('reports 30 Hz frames with the LEDs ledSeparationCm apart along the heading, and the set noise SD', () => {
    const tr = trackLeds(walk(), { seed: 1, noiseCm: 1.5, ledSeparationCm: 4, dropRate: 0, swapsPerMinute: 0 });
    expect(tr.times.length).toBe(600 * 30 + 1);
    expect(tr.times[30]).toBeCloseTo(1, 12);
    let sq = 0,
      n = 0,
      mid = 0;
    const { x, y, headDirection: hd } = tr.truth;
    for (let i = 0; i < tr.times.length; i++) {
      const fx = x[i] + 2 * Math.cos(hd[i]),
        fy = y[i] + 2 * Math.sin(hd[i]);
      sq += (tr.front.data[2 * i] - fx) ** 2 + (tr.front.data[2 * i + 1] - fy) ** 2;
      n += 2;
      mid += (tr.front.data[2 * i] + tr.back.data[2 * i]) / 2 - x[i];
    }
    expect(Math.sqrt(sq / n)).toBeCloseTo(1.5, 1);
    expect(Math.abs(mid / tr.times.length)).toBeLessThan(0.05);
    // heading follows the motion: +x while x increases
    const i = 30 * 5; // t = 5 s, dx/dt > 0
    expect(Math.cos(hd[i])).toBeCloseTo(1, 6);
  });

  it('drifts smoothly with a noise time constant: same SD, small frame-to-frame steps', () => {
    const still = {
      times: Float64Array.from({ length: 6001 }, (_, i) => i / 10),
      x: new Float64Array(6001).fill(100),
      y: new Float64Array(6001).fill(50),
    };
    const tr = trackLeds(still, { seed: 6, noiseCm: 1, noiseTimeConstantS: 0.5, dropRate: 0, swapsPerMinute: 0 });
    const e = Array.from({ length: tr.times.length }, (_, i) => tr.back.data[2 * i + 1] - 50);
    const sd = Math.sqrt(e.reduce((s, v) => s + v * v, 0) / e.length);
    const stepSd = Math.sqrt(e.slice(1).reduce((s, v, i) => s + (v - e[i]) ** 2, 0) / (e.length - 1));
    expect(sd).toBeGreaterThan(0.8);
    expect(sd).toBeLessThan(1.25);
    expect(stepSd).toBeLessThan(0.1); // white noise of SD 1 steps by ~1.4
  });

  it('drops about dropRate of the frames in runs within dropFrames, NaN on both LEDs', () => {
    const tr = trackLeds(walk(), { seed: 4, dropRate: 0.05, dropFrames: [2, 6], swapsPerMinute: 0 });
    const { dropped, drops } = tr.truth;
    const frac = dropped.reduce((s, v) => s + v, 0) / dropped.length;
    expect(frac).toBeGreaterThan(0.04);
    expect(frac).toBeLessThan(0.06);
    for (const r of drops.slice(0, -1))
      (expect(r.end - r.start).toBeGreaterThanOrEqual(2), expect(r.end - r.start).toBeLessThanOrEqual(6));
    for (let i = 0; i < dropped.length; i++) {
      expect(Number.isNaN(tr.front.data[2 * i])).toBe(dropped[i] === 1);
      expect(Number.isNaN(tr.back.data[2 * i + 1])).toBe(dropped[i] === 1);
    }
  });

  it('swaps front and back about swapsPerMinute times, and the truth says where', () => {
    const tr = trackLeds(walk(), { seed: 5, dropRate: 0, swapsPerMinute: 3, swapFrames: [1, 4], noiseCm: 0.5 });
    // 10 minutes at 3 per minute: 30 expected, Poisson SD ~5.5
    expect(tr.truth.swaps.length).toBeGreaterThan(18);
    expect(tr.truth.swaps.length).toBeLessThan(42);
    const { x, headDirection: hd, swapped } = tr.truth;
    for (let i = 0; i < tr.times.length; i++) {
      // the reported front LED lies ahead of the centre unless swapped
      const ahead =
        (tr.front.data[2 * i] - x[i]) * Math.cos(hd[i]) + (tr.front.data[2 * i + 1] - tr.truth.y[i]) * Math.sin(hd[i]);
      if (Math.abs(ahead) > 1.6) expect(ahead < 0).toBe(swapped[i] === 1);
    }
  });

  it('reports pixels when given cm per pixel, and head direction when given', () => {
    const w = walk(10);
    const headDirection = w.times.map(() => Math.PI / 2);
    const tr = trackLeds(
      { ...w, headDirection },
      { seed: 1, cmPerPixel: 0.5, noiseCm: 0, dropRate: 0, swapsPerMinute: 0, ledSeparationCm: 3 },
    );
    expect(tr.unit).toBe('pixels');
    expect(tr.front.data[0]).toBeCloseTo(w.x[0] / 0.5, 9);
    expect(tr.front.data[1] - tr.back.data[1]).toBeCloseTo(3 / 0.5, 9);
  });

  it('throws a ParameterError naming the option on bad input', () => {
    expect(() => trackLeds(walk(1), { noiseCm: -1 })).toThrow(ParameterError);
    expect(() => trackLeds(walk(1), { dropFrames: [3, 1] })).toThrow(/dropFrames/);
    expect(() =>
      trackLeds({ times: Float64Array.of(0, 0), x: Float64Array.of(0, 0), y: Float64Array.of(0, 0) }),
    ).toThrow(/trajectory.times/);
    expect(() => trackLeds({ ...walk(1), y: new Float64Array(3) })).toThrow(/trajectory.y/);
  });
});
