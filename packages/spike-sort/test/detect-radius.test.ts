import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { detectPeaks, neighboursWithin } from '../src/index.js';

describe('detection exclusion within a radius (probe shanks)', () => {
  // 8 channels at 25 µm pitch; unit A peaks on channel 0, unit B on channel 7 (175 µm away), and
  // they fire at the same samples half of the time.
  const C = 8,
    rows = 30000;
  const rng = createRng(2);
  const data = new Float32Array(rows * C).map(() => 10 * rng.normal());
  const a: number[] = [],
    b: number[] = [];
  for (let t = 200; t < rows - 200; t += 400) {
    a.push(t);
    b.push((t / 400) % 2 < 1 ? t : t + 150);
  }
  const add = (t: number, peak: number) => {
    for (let k = -10; k <= 10; k++)
      for (let c = 0; c < C; c++)
        data[(t + k) * C + c] += -150 * Math.exp(-0.5 * (k / 3) ** 2) * Math.exp((-Math.abs(c - peak) * 25) / 30);
  };
  a.forEach((t) => add(t, 0));
  b.forEach((t) => add(t, 7));
  const noise = Array(C).fill(10);
  const found = (peaks: { time: number; channel: number }[], times: number[], near: number) =>
    times.filter((t) => peaks.some((p) => Math.abs(p.time - t) < 2 && Math.abs(p.channel - near) <= 1)).length;

  it('neighboursWithin lists the channels within the radius', () => {
    expect(neighboursWithin({ data: Float64Array.of(0, 0, 0, 25, 0, 200), rows: 3, cols: 2 }, { radius: 100 })).toEqual(
      [[0, 1], [0, 1], [2]],
    );
    expect(() => neighboursWithin({ data: new Float64Array(2), rows: 1, cols: 2 }, { r: 100 } as never)).toThrow(/'r'/);
  });
  it('two distant units firing together are two spikes with a radius, one without', () => {
    const positions = {
      data: Float64Array.from({ length: 2 * C }, (_, i) => (i % 2) * 25 * (i >> 1)),
      rows: C,
      cols: 2,
    };
    const local = detectPeaks(
      { data, rows, cols: C },
      { noise, threshold: 5, sweep: 15, neighbours: neighboursWithin(positions, { radius: 100 }) },
    );
    expect(found(local, a, 0)).toBe(a.length);
    expect(found(local, b, 7)).toBe(b.length);
    const whole = detectPeaks({ data, rows, cols: C }, { noise, threshold: 5, sweep: 15 });
    expect(found(whole, a, 0) + found(whole, b, 7)).toBeLessThan(a.length + b.length - a.length / 3);
    // Each spike is still one detection, not one per channel it reaches.
    expect(local.length).toBeLessThanOrEqual(a.length + b.length + 2);
  });
});
