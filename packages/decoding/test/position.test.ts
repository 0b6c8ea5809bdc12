import { describe, expect, it } from 'vitest';
import { processPosition, unwrap, wrapAngle } from '@spyglass-wasm/decoding';

/** Two LEDs 4 cm apart on a head circling at 20 cm/s (radius 30 cm), in pixels of 0.5 cm, 30 Hz. */
function circling(seconds = 20) {
  const fs = 30, n = seconds * fs, r = 30, w = 20 / r;
  const times = Float64Array.from({ length: n }, (_, i) => i / fs);
  const led1 = new Float64Array(n * 2), led2 = new Float64Array(n * 2), heading = new Float64Array(n), cx = new Float64Array(n), cy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = w * times[i];
    cx[i] = 50 + r * Math.cos(a); cy[i] = 50 + r * Math.sin(a);
    heading[i] = wrapAngle(a + Math.PI / 2); // moving counter-clockwise
    const hx = Math.cos(heading[i]) * 2, hy = Math.sin(heading[i]) * 2;
    led1[2 * i] = (cx[i] + hx) / 0.5; led1[2 * i + 1] = (cy[i] + hy) / 0.5;
    led2[2 * i] = (cx[i] - hx) / 0.5; led2[2 * i + 1] = (cy[i] - hy) / 0.5;
  }
  return { times, led1: { data: led1, rows: n, cols: 2 }, led2: { data: led2, rows: n, cols: 2 }, heading, cx, cy };
}

describe('processPosition (Trodes pipeline)', () => {
  it('recovers centroid, head direction and speed, dropping glitches and filling gaps', () => {
    const s = circling();
    s.led1.data[2 * 100] += 200;          // LED 1 jumps 100 cm: separation and speed rules
    s.led2.data[2 * 200 + 1] += 30;       // LED 2 jumps 15 cm: separation rule
    for (let i = 300; i < 306; i++) { s.led1.data[2 * i] = NaN; s.led2.data[2 * i] = NaN; } // 0.2 s lost
    const p = processPosition({ times: s.times, led1: s.led1, led2: s.led2 }, { cmPerPixel: 0.5 });
    expect(p.dropped).toBeGreaterThanOrEqual(8);
    let worstPos = 0, worstHead = 0, worstSpeed = 0;
    for (let i = 15; i < s.times.length - 15; i++) {
      // The 0.125 s moving average pulls a circle inwards by r(1 − sinc) ≈ 0.09 cm here.
      worstPos = Math.max(worstPos, Math.hypot(p.position.data[2 * i] - s.cx[i], p.position.data[2 * i + 1] - s.cy[i]));
      worstHead = Math.max(worstHead, Math.abs(wrapAngle(p.orientation[i] - s.heading[i])));
      worstSpeed = Math.max(worstSpeed, Math.abs(p.speed[i] - 20));
    }
    expect(worstPos).toBeLessThan(0.5);
    expect(worstHead).toBeLessThan(0.02);
    expect(worstSpeed).toBeLessThan(0.5);
  });

  it('upsamples to the decoding rate', () => {
    const s = circling(4);
    const p = processPosition({ times: s.times, led1: s.led1, led2: s.led2 }, { cmPerPixel: 0.5, upsampleRate: 500 });
    expect(p.times.length).toBe(Math.floor((s.times[s.times.length - 1]) * 500) + 1);
    expect(p.times[1] - p.times[0]).toBeCloseTo(0.002, 12);
    const mid = 1000; // t = 2 s
    expect(p.speed[mid]).toBeCloseTo(20, 0);
  });

  it('works with one LED (no orientation) and rejects mismatched shapes', () => {
    const s = circling(4);
    const p = processPosition({ times: s.times, led1: s.led1 }, { cmPerPixel: 0.5 });
    expect(Number.isNaN(p.orientation[10])).toBe(true);
    expect(p.speed[60]).toBeCloseTo(20, 0);
    expect(() => processPosition({ times: s.times.subarray(1), led1: s.led1 })).toThrow(/led1/);
  });

  it('unwrap removes 2π jumps', () => {
    expect(Array.from(unwrap(Float64Array.of(3, -3, -2.9)))).toEqual([3, -3 + 2 * Math.PI, -2.9 + 2 * Math.PI]);
  });
});
