import { readFileSync } from 'node:fs';
import { ParameterError } from '@spyglass-wasm/core';
import { describe, expect, it } from 'vitest';
import {
  type PositionOptions,
  netSpeed,
  positionFromSeries,
  processPosition,
  unwrap,
  wrapAngle,
} from '@spyglass-wasm/decoding';

const fs = 30;
const frameTimes = (n: number) => Float64Array.from({ length: n }, (_, i) => i / fs);
const led = (n: number, at: (i: number) => [number, number]) => {
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) [data[2 * i], data[2 * i + 1]] = at(i);
  return { data, rows: n, cols: 2 };
};
/** Normalised Gaussian weight at offset k (σ in samples, cut at 8 σ), as the velocity smoothing uses. */
function gaussianWeight(k: number, sigma: number): number {
  const radius = Math.floor(8 * sigma + 0.5);
  let sum = 0;
  for (let j = -radius; j <= radius; j++) sum += Math.exp(-(j * j) / (2 * sigma * sigma));
  return Math.abs(k) > radius ? 0 : Math.exp(-(k * k) / (2 * sigma * sigma)) / sum;
}
const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as ParameterError;
  }
  throw new Error('expected a ParameterError');
};

describe('processPosition: hand-computed cases', () => {
  it('a line at 10 cm/s: speed 10 away from the ends; position lags by the trailing window', () => {
    const n = 300,
      t = frameTimes(n);
    const p = processPosition({ times: t, led1: led(n, (i) => [10 * t[i], 5]) });
    // window = trunc(0.125 s × 30 Hz) = 3 samples, trailing: the mean of x[i−2..i] is x[i−1]
    for (let i = 2; i < n; i++) expect(p.position.data[2 * i]).toBeCloseTo(10 * t[i - 1], 10);
    expect(p.position.data[1]).toBe(5);
    // velocity σ = 3 samples, kernel to 24 samples: exact once the kernel sees only the line
    for (let i = 2 + 25; i < n - 25; i++) {
      expect(p.speed[i]).toBeCloseTo(10, 9);
      expect(p.velocity.data[2 * i + 1]).toBeCloseTo(0, 9);
    }
    expect(p.speed[0]).toBeLessThan(7); // zeros beyond the ends pull the edges down, as position_tools does
    expect(Number.isNaN(p.orientation[10])).toBe(true); // one LED: no head direction
  });

  it('a gap within maxGap is filled along the line; a longer one stays NaN and blanks velocity within 8 σ', () => {
    const n = 300,
      t = frameTimes(n);
    const l = led(n, (i) => [10 * t[i], 5]);
    for (let i = 50; i < 56; i++) l.data[2 * i] = NaN; // bracketing samples 7 frames (0.233 s) apart
    for (let i = 150; i < 195; i++) l.data[2 * i + 1] = NaN; // 46 frames (1.53 s)
    const p = processPosition({ times: t, led1: l }, { maxGap: 0.5, positionSmoothingDuration: 0 });
    for (let i = 50; i < 56; i++) expect(p.position.data[2 * i]).toBeCloseTo(10 * t[i], 10);
    for (let i = 0; i < n; i++) {
      const missing = i >= 150 && i < 195;
      expect(Number.isNaN(p.position.data[2 * i + 1])).toBe(missing);
      // NaN reaches the gradient one sample further each side, then the 24-sample kernel
      expect(Number.isNaN(p.speed[i])).toBe(i >= 150 - 1 - 24 && i < 195 + 1 + 24);
    }
    const filled = processPosition({ times: t, led1: l }, { maxGap: 2, positionSmoothingDuration: 0 });
    expect(filled.position.data[2 * 170 + 1]).toBeCloseTo(5, 12);
    expect(Number.isNaN(filled.speed[170])).toBe(false);
    // both record the untracked runs between the usable samples either side, filled or not
    for (const q of [p, filled])
      expect(q.untracked).toEqual([
        [t[49], t[56]],
        [t[149], t[195]],
      ]);
  });

  it('LED separation: 9 cm or more drops the sample, 8.99 cm keeps it', () => {
    const n = 120,
      t = frameTimes(n);
    const front = led(n, () => [50, 50]);
    const back = led(n, (i) => [i === 40 ? 59 : i === 80 ? 58.99 : 54, 50]);
    const p = processPosition({ times: t, led1: front, led2: back }, { positionSmoothingDuration: 0 });
    expect([p.dropped, p.droppedBySeparation, p.droppedBySpeed]).toEqual([1, 1, 0]);
    expect(p.position.data[2 * 40]).toBe(52); // dropped, then interpolated from its still neighbours
    expect(p.position.data[2 * 80]).toBeCloseTo((50 + 58.99) / 2, 12);
    expect(Math.abs(p.orientation[10])).toBeCloseTo(Math.PI, 12); // back (54, 50) → front (50, 50): −x
  });

  it('a 100 cm teleport of both LEDs: samples whose smoothed speed exceeds 300 cm/s are dropped and bridged', () => {
    const n = 200,
      t = Float64Array.from({ length: n }, (_, i) => i * 0.03125); // 32 Hz, exact steps
    const step = 100,
      at = 100;
    const shift = (i: number) => (i >= at ? step : 0);
    const p = processPosition(
      { times: t, led1: led(n, (i) => [50 + shift(i), 50]), led2: led(n, (i) => [54 + shift(i), 50]) },
      { positionSmoothingDuration: 0 },
    );
    // np.gradient puts step / (2 dt) on samples at−1 and at; smoothed, sample k gets that times w(k−at+1) + w(k−at)
    const sigma = 0.1 * 32;
    const expected = Array.from({ length: n }, (_, k) => k).filter(
      (k) => (step / (2 * 0.03125)) * (gaussianWeight(k - at + 1, sigma) + gaussianWeight(k - at, sigma)) > 300,
    );
    expect(expected).toEqual([98, 99, 100, 101]);
    expect(p.droppedBySpeed).toBe(4);
    // bridged linearly from sample 97 (x 52) to 102 (x 152)
    for (let k = 97; k <= 102; k++) expect(p.position.data[2 * k]).toBeCloseTo(52 + (step * (k - 97)) / 5, 9);
  });

  it('as in Spyglass, a one-frame jump of both LEDs is not caught by the (smoothed) speed rule', () => {
    const n = 120,
      t = frameTimes(n);
    const jump = (i: number) => (i === 60 ? 100 : 0);
    const p = processPosition({
      times: t,
      led1: led(n, (i) => [50 + jump(i), 50]),
      led2: led(n, (i) => [54 + jump(i), 50]),
    });
    expect(p.dropped).toBe(0); // np.gradient is 0 at the jump and ± step/(2 dt) either side: they cancel
  });

  it('unit conversions: m, cm, mm and pixels give the same result', () => {
    const n = 90,
      t = frameTimes(n);
    const cm = (i: number): [number, number] => [40 + 20 * Math.cos(i / 15), 40 + 20 * Math.sin(i / 15)];
    const scaled = (k: number) => led(n, (i) => cm(i).map((v) => v * k) as [number, number]);
    const reference = processPosition({ times: t, led1: scaled(1) });
    const variants: [number, PositionOptions][] = [
      [0.01, { unit: 'm' }],
      [0.01, { unit: 'meters' }],
      [10, { unit: 'mm' }],
      [1, { unit: 'cm' }],
      [2, { unit: 'px', pixelsPerCm: 2 }],
      [2, { cmPerPixel: 0.5 }],
      [4, { unit: 'pixels', cmPerPixel: 0.25 }],
    ];
    for (const [k, options] of variants) {
      const p = processPosition({ times: t, led1: scaled(k) }, options);
      for (let i = 0; i < n; i++) {
        expect(p.position.data[2 * i]).toBeCloseTo(reference.position.data[2 * i], 9);
        expect(p.speed[i]).toBeCloseTo(reference.speed[i], 9);
      }
    }
  });

  it('rejects bad input with a ParameterError naming the option', () => {
    const n = 30,
      t = frameTimes(n),
      l1 = led(n, () => [0, 0]);
    const cases: [string, () => unknown][] = [
      ['pixelsPerCm', () => processPosition({ times: t, led1: l1 }, { unit: 'px' })],
      ['pixelsPerCm', () => processPosition({ times: t, led1: l1 }, { pixelsPerCm: 2, cmPerPixel: 0.5 })],
      ['cmPerPixel', () => processPosition({ times: t, led1: l1 }, { unit: 'cm', cmPerPixel: 0.5 })],
      ['pixelsPerCm', () => processPosition({ times: t, led1: l1 }, { pixelsPerCm: 0 })],
      ['unit', () => processPosition({ times: t, led1: l1 }, { unit: 'inch' as 'cm' })],
      ['times', () => processPosition({ times: Float64Array.of(0, 1, 1, 2), led1: led(4, () => [0, 0]) })],
      ['times', () => processPosition({ times: Float64Array.of(0, NaN, 2), led1: led(3, () => [0, 0]) })],
      ['led1', () => processPosition({ times: t.subarray(1), led1: l1 })],
      [
        'led2',
        () => processPosition({ times: t, led1: l1, led2: { data: new Float64Array(3 * n), rows: n, cols: 3 } }),
      ],
      ['maxGap', () => processPosition({ times: t, led1: l1 }, { maxGap: -1 })],
      ['maxLedSeparation', () => processPosition({ times: t, led1: l1 }, { maxLedSeparation: 0 })],
      ['speedSmoothingStd', () => processPosition({ times: t, led1: l1 }, { speedSmoothingStd: NaN })],
      ['led1IsFront', () => processPosition({ times: t, led1: l1 }, { led1IsFront: 1 as unknown as boolean })],
      ['upsampleRate', () => processPosition({ times: t, led1: l1 }, { upsampleRate: -500 })],
      ['maxLedSeparation', () => processPosition({ times: t, led1: l1, led2: led(n, () => [20, 0]) })],
      ['cols', () => positionFromSeries({ times: t, data: new Float64Array(3 * n), cols: 3 })],
      ['data', () => positionFromSeries({ times: t, data: new Float64Array(4 * n - 1), cols: 4 })],
    ];
    for (const [name, f] of cases) {
      const e = errorOf(f);
      expect(e, name).toBeInstanceOf(ParameterError);
      expect(e.parameter).toBe(name);
      expect(e.message).toContain(`'${name}'`);
    }
  });
});

/** Two LEDs 4 cm apart on a head circling at 20 cm/s (radius 30 cm), in pixels of 0.5 cm, 30 Hz. */
function circling(seconds = 20) {
  const n = seconds * fs,
    r = 30,
    w = 20 / r;
  const times = frameTimes(n);
  const led1 = new Float64Array(n * 2),
    led2 = new Float64Array(n * 2),
    heading = new Float64Array(n),
    cx = new Float64Array(n),
    cy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = w * times[i];
    cx[i] = 50 + r * Math.cos(a);
    cy[i] = 50 + r * Math.sin(a);
    heading[i] = wrapAngle(a + Math.PI / 2); // moving counter-clockwise
    const hx = Math.cos(heading[i]) * 2,
      hy = Math.sin(heading[i]) * 2;
    led1[2 * i] = (cx[i] + hx) / 0.5;
    led1[2 * i + 1] = (cy[i] + hy) / 0.5;
    led2[2 * i] = (cx[i] - hx) / 0.5;
    led2[2 * i + 1] = (cy[i] - hy) / 0.5;
  }
  return { times, led1: { data: led1, rows: n, cols: 2 }, led2: { data: led2, rows: n, cols: 2 }, heading, cx, cy };
}

describe('processPosition on a circling head', () => {
  it('recovers centroid (one frame behind), head direction and speed, dropping glitches and filling gaps', () => {
    const s = circling();
    s.led1.data[2 * 100] += 200; // LED 1 jumps 100 cm: separation rule
    s.led2.data[2 * 200 + 1] += 30; // LED 2 jumps 15 cm: separation rule
    for (let i = 300; i < 306; i++) {
      s.led1.data[2 * i] = NaN;
      s.led2.data[2 * i] = NaN;
    } // 0.2 s lost
    const p = processPosition({ times: s.times, led1: s.led1, led2: s.led2 }, { cmPerPixel: 0.5 });
    expect(p.droppedBySeparation).toBe(2);
    let worstPos = 0,
      worstHead = 0,
      worstSpeed = 0;
    for (let i = 30; i < s.times.length - 30; i++) {
      // the trailing 3-sample mean sits on the middle sample (one frame back); the 0.2 s gap is
      // bridged by a chord, r(1 − cos(θ/2)) ≈ 0.09 cm inside the circle at its middle
      worstPos = Math.max(
        worstPos,
        Math.hypot(p.position.data[2 * i] - s.cx[i - 1], p.position.data[2 * i + 1] - s.cy[i - 1]),
      );
      worstHead = Math.max(worstHead, Math.abs(wrapAngle(p.orientation[i] - s.heading[i - 1])));
      worstSpeed = Math.max(worstSpeed, Math.abs(p.speed[i] - 20));
    }
    expect(worstPos).toBeLessThan(0.1);
    expect(worstHead).toBeLessThan(0.01);
    expect(worstSpeed).toBeLessThan(0.5);
  });

  it('upsamples onto Spyglass grid: linspace(first, last, ceil(span × rate) + 1)', () => {
    const s = circling(4);
    const p = processPosition({ times: s.times, led1: s.led1, led2: s.led2 }, { cmPerPixel: 0.5, upsample: true });
    const span = s.times[s.times.length - 1] - s.times[0];
    expect(p.times.length).toBe(Math.ceil(span * 500) + 1);
    expect(p.times[p.times.length - 1]).toBe(s.times[s.times.length - 1]);
    expect(p.speed[1000]).toBeCloseTo(20, 0);
    expect(processPosition({ times: s.times, led1: s.led1 }, { cmPerPixel: 0.5, upsampleRate: 100 }).times.length).toBe(
      Math.ceil(span * 100) + 1,
    );
  });

  it('positionFromSeries splits a 4-column series into two LEDs and a 2-column one into one', () => {
    const s = circling(4),
      n = s.times.length;
    const four = new Float64Array(4 * n),
      two = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      four.set([s.led1.data[2 * i], s.led1.data[2 * i + 1], s.led2.data[2 * i], s.led2.data[2 * i + 1]], 4 * i);
      two.set([s.led1.data[2 * i], s.led1.data[2 * i + 1]], 2 * i);
    }
    const options = { unit: 'px', pixelsPerCm: 2 } as const;
    expect(positionFromSeries({ times: s.times, data: four, cols: 4, ...options })).toEqual(
      processPosition({ times: s.times, led1: s.led1, led2: s.led2 }, options),
    );
    expect(positionFromSeries({ times: s.times, data: two, cols: 2, ...options })).toEqual(
      processPosition({ times: s.times, led1: s.led1 }, options),
    );
  });

  it('unwrap removes 2π jumps', () => {
    expect(Array.from(unwrap(Float64Array.of(3, -3, -2.9)))).toEqual([3, -3 + 2 * Math.PI, -2.9 + 2 * Math.PI]);
  });
});

interface VectorCase {
  name: string;
  times: number[];
  led1: (number | null)[];
  led2: (number | null)[] | null;
  options: PositionOptions;
  expected: {
    times: number[];
    position: (number | null)[];
    orientation: (number | null)[];
    velocity: (number | null)[];
    speed: (number | null)[];
    dropped: number;
  };
}

const vectors: { cases: VectorCase[] } = JSON.parse(
  readFileSync(new URL('./vectors/position.json', import.meta.url), 'utf8'),
);
const f64 = (a: (number | null)[]) => Float64Array.from(a, (v) => (v === null ? NaN : v));

describe('processPosition against the numpy/scipy recipe (scripts/make-position-vectors.py)', () => {
  it.each(vectors.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const n = c.times.length;
    const p = processPosition(
      {
        times: f64(c.times),
        led1: { data: f64(c.led1), rows: n, cols: 2 },
        led2: c.led2 ? { data: f64(c.led2), rows: n, cols: 2 } : undefined,
      },
      c.options,
    );
    expect(p.dropped).toBe(c.expected.dropped);
    const compare = (name: string, got: ArrayLike<number>, want: (number | null)[], scale: number) => {
      expect(got.length, name).toBe(want.length);
      let worst = 0;
      for (let i = 0; i < want.length; i++) {
        const w = want[i];
        if (w === null) {
          expect(Number.isNaN(got[i]), `${name}[${i}] NaN`).toBe(true);
          continue;
        }
        // 1e-9 relative to the value or, near 0, to the series' scale; the vectors carry 12 digits
        worst = Math.max(worst, Math.abs(got[i] - w) / Math.max(Math.abs(w), scale));
      }
      expect(worst, name).toBeLessThan(1e-9);
    };
    compare('times', p.times, c.expected.times, 1);
    compare('position', p.position.data, c.expected.position, 1);
    compare('orientation', p.orientation, c.expected.orientation, 1);
    compare('velocity', p.velocity.data, c.expected.velocity, 1);
    compare('speed', p.speed, c.expected.speed, 1);
  });
});

describe('netSpeed', () => {
  const times = Float64Array.from({ length: 31 }, (_, i) => i / 10);
  it('is the speed of uniform motion, clipped windows included', () => {
    const p = {
      data: Float64Array.from({ length: 62 }, (_, k) => (k % 2 === 0 ? 3 * times[k / 2] : 4 * times[(k - 1) / 2])),
      rows: 31,
      cols: 2,
    };
    for (const v of netSpeed(times, p, { windowSeconds: 1 })) expect(v).toBeCloseTo(5, 12);
  });
  it('is the net displacement: back and forth within the window reads as still', () => {
    // 1 cm steps left and right every 0.1 s: 10 cm/s frame to frame, no net motion over 0.2 s
    const p = { data: Float64Array.from({ length: 62 }, (_, k) => (k % 2 === 0 ? (k / 2) % 2 : 0)), rows: 31, cols: 2 };
    expect(
      netSpeed(times, p, { windowSeconds: 0.2 })
        .slice(1, -1)
        .every((v) => v === 0),
    ).toBe(true);
  });
  it('is NaN where an end is NaN, and checks its inputs by name', () => {
    const p = { data: new Float64Array(62), rows: 31, cols: 2 };
    p.data[0] = NaN;
    expect(Number.isNaN(netSpeed(times, p, { windowSeconds: 0.2 })[1])).toBe(true);
    expect(netSpeed(times, p, { windowSeconds: 0.2 })[2]).toBe(0);
    expect(() => netSpeed(times, p, { windowSeconds: 0 })).toThrow(/windowSeconds/);
    expect(() => netSpeed(times, p, { windowSeconds: 1, window: 2 } as never)).toThrow(/window/);
    expect(() => netSpeed(times.subarray(1), p, { windowSeconds: 1 })).toThrow(/position/);
  });
});
