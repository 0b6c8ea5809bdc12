import {
  ParameterError,
  checkNumber,
  type Matrix,
  createRng,
  type Rng,
  atan2,
  cos,
  exp,
  hypot,
  sin,
  pow,
} from '@spyglass-wasm/core';

/** A true trajectory: times (s), head-centre position (cm), optional head direction (rad). */
export interface Trajectory {
  times: Float64Array;
  x: Float64Array;
  y: Float64Array;
  /** Head direction (rad, 0 = +x); default: the direction of motion, held while still. */
  headDirection?: Float64Array;
}

export interface LedTrackingOptions {
  seed?: number;
  /** Camera frame rate (Hz), default 30. */
  frameRateHz?: number;
  /** Distance between the front and back LEDs along the head direction (cm), default 4. */
  ledSeparationCm?: number;
  /** Gaussian tracking noise per LED and axis (SD, cm), default 1. */
  noiseCm?: number;
  /**
   * Time constant of the noise (s), default 0: independent per frame. With a time constant the
   * noise is a smooth drift (reflections, head tilt) of the same SD. White noise of 1 cm reads as
   * ~12 cm/s at rest through Spyglass's default speed estimate (0.125 s smoothing, central
   * differences, 0.1 s Gaussian) — above the usual 4 cm/s ripple speed gate.
   */
  noiseTimeConstantS?: number;
  /** Expected fraction of frames dropped (both LEDs NaN), default 0.02. */
  dropRate?: number;
  /** Length range of a run of dropped frames [min, max] (frames), default [1, 8]. */
  dropFrames?: [number, number];
  /** Expected front/back swaps per minute, default 2. */
  swapsPerMinute?: number;
  /** Length range of a swap run [min, max] (frames), default [1, 6]. */
  swapFrames?: [number, number];
  /** When given, the LEDs are reported in camera pixels (cm / cmPerPixel) instead of cm. */
  cmPerPixel?: number;
}

/** A run of frames [start, end) (frame indices). */
export interface FrameRun {
  start: number;
  end: number;
}

/** What a two-LED camera tracker reports, and the truth behind it. */
export interface LedTracking {
  /** Frame times (s). */
  times: Float64Array;
  /** Front and back LED positions, frames × 2 (x, y), in `unit`; NaN on dropped frames. */
  front: Matrix<Float64Array>;
  back: Matrix<Float64Array>;
  unit: 'cm' | 'pixels';
  /** Set when `unit` is 'pixels'. */
  cmPerPixel?: number;
  ledSeparationCm: number;
  truth: {
    /** Clean head-centre position (cm) and head direction (rad) at the frame times. */
    x: Float64Array;
    y: Float64Array;
    headDirection: Float64Array;
    /** 1 on frames the tracker lost (NaN) / where front and back are exchanged. */
    dropped: Uint8Array;
    swapped: Uint8Array;
    drops: FrameRun[];
    swaps: FrameRun[];
  };
}

/**
 * What a camera tracker reports for a true trajectory: frames at `frameRateHz`, a front and a
 * back LED `ledSeparationCm` apart along the head direction, Gaussian noise on each, runs of
 * dropped frames (NaN) and short runs where the tracker exchanges front and back, optionally in
 * pixels. The truth keeps the clean trajectory at the frame times and which frames were
 * dropped or swapped (a swapped frame that is also dropped is only dropped).
 *
 * @example
 * const times = Float64Array.from({ length: 601 }, (_, i) => i / 10);
 * const x = times.map((t) => 100 + 80 * sin(t / 5)), y = new Float64Array(601).fill(50);
 * const tracked = trackLeds({ times, x, y }, { seed: 1, noiseCm: 1, dropRate: 0.05 });
 * tracked.front.data; // frames × 2, cm, NaN where dropped
 */
export function trackLeds(trajectory: Trajectory, options: LedTrackingOptions = {}): LedTracking {
  const o = trackingSettings(options);
  const { times: t } = trajectory;
  checkTrajectory(trajectory);
  const rng = createRng(options.seed ?? 1);
  const frames = Math.floor((t[t.length - 1] - t[0]) * o.rate + 1e-9) + 1;
  const times = Float64Array.from({ length: frames }, (_, i) => t[0] + i / o.rate);
  const x = resample(t, trajectory.x, times),
    y = resample(t, trajectory.y, times);
  const hd = trajectory.headDirection
    ? resampleAngle(t, trajectory.headDirection, times)
    : headingOfMotion(x, y, o.rate);
  // A run cycle is 1/p frames waiting plus the run plus one gap frame, hence these start probabilities.
  const dropRuns = drawRuns(rng, frames, o.dropRate / (meanOf(o.dropFrames) * (1 - o.dropRate)), o.dropFrames);
  const swapsPerFrame = o.swapsPerMinute / 60 / o.rate;
  const swapRuns = drawRuns(
    rng,
    frames,
    swapsPerFrame / Math.max(1e-9, 1 - swapsPerFrame * meanOf(o.swapFrames)),
    o.swapFrames,
  );
  const dropped = runMask(frames, dropRuns),
    swapped = runMask(frames, swapRuns);
  for (let i = 0; i < frames; i++) if (dropped[i]) swapped[i] = 0;
  const scale = o.cmPerPixel ? 1 / o.cmPerPixel : 1,
    half = o.separation / 2;
  const front = new Float64Array(frames * 2),
    back = new Float64Array(frames * 2);
  const step = trackingNoise(rng, o.noise, o.tau, o.rate);
  for (let i = 0; i < frames; i++) {
    const dx = half * cos(hd[i]),
      dy = half * sin(hd[i]);
    const f = [x[i] + dx + step(0), y[i] + dy + step(1)];
    const b = [x[i] - dx + step(2), y[i] - dy + step(3)];
    const [first, second] = dropped[i]
      ? [
          [NaN, NaN],
          [NaN, NaN],
        ]
      : swapped[i]
        ? [b, f]
        : [f, b];
    front[2 * i] = first[0] * scale;
    front[2 * i + 1] = first[1] * scale;
    back[2 * i] = second[0] * scale;
    back[2 * i + 1] = second[1] * scale;
  }
  return {
    times,
    front: { data: front, rows: frames, cols: 2 },
    back: { data: back, rows: frames, cols: 2 },
    unit: o.cmPerPixel ? 'pixels' : 'cm',
    ...(o.cmPerPixel ? { cmPerPixel: o.cmPerPixel } : {}),
    ledSeparationCm: o.separation,
    truth: { x, y, headDirection: hd, dropped, swapped, drops: dropRuns, swaps: masked(swapRuns, swapped) },
  };
}

function trackingSettings(o: LedTrackingOptions) {
  const range = (name: string, r: [number, number] | undefined, fallback: [number, number]): [number, number] => {
    const v = r ?? fallback;
    if (!Array.isArray(v) || v.length !== 2 || !Number.isInteger(v[0]) || !(v[0] >= 1) || !(v[1] >= v[0])) {
      throw new ParameterError(name, 'a frame range [min, max] of integers with 1 <= min <= max', r);
    }
    return v;
  };
  return {
    rate: checkNumber('frameRateHz', o.frameRateHz ?? 30, { min: 0, exclusiveMin: true }),
    separation: checkNumber('ledSeparationCm', o.ledSeparationCm ?? 4, { min: 0 }),
    noise: checkNumber('noiseCm', o.noiseCm ?? 1, { min: 0 }),
    tau: checkNumber('noiseTimeConstantS', o.noiseTimeConstantS ?? 0, { min: 0 }),
    dropRate: checkNumber('dropRate', o.dropRate ?? 0.02, { min: 0, max: 0.5 }),
    dropFrames: range('dropFrames', o.dropFrames, [1, 8]),
    swapsPerMinute: checkNumber('swapsPerMinute', o.swapsPerMinute ?? 2, { min: 0 }),
    swapFrames: range('swapFrames', o.swapFrames, [1, 6]),
    cmPerPixel:
      o.cmPerPixel === undefined ? undefined : checkNumber('cmPerPixel', o.cmPerPixel, { min: 0, exclusiveMin: true }),
  };
}

function checkTrajectory(tr: Trajectory): void {
  const n = tr.times?.length ?? 0;
  if (n < 2) throw new ParameterError('trajectory.times', 'at least 2 increasing times (s)', n);
  for (let i = 1; i < n; i++)
    if (!(tr.times[i] > tr.times[i - 1]))
      throw new ParameterError('trajectory.times', 'strictly increasing times (s)', `times[${i}] = ${tr.times[i]}`);
  for (const k of ['x', 'y', 'headDirection'] as const) {
    if (tr[k] !== undefined && tr[k]!.length !== n)
      throw new ParameterError(`trajectory.${k}`, `one value per time (${n})`, tr[k]!.length);
  }
}

/**
 * Noise of SD `sd` per LED and axis k (0-3): white when `tau` is 0, else white noise through two
 * first-order low-passes of time constant `tau` (a smooth drift: its speed is about sd / tau),
 * started from its stationary state by a burn-in.
 */
function trackingNoise(rng: Rng, sd: number, tau: number, rate: number): (k: number) => number {
  if (tau === 0) return () => sd * rng.normal();
  const a = exp(-1 / (rate * tau));
  // stationary variance of y2 for y1 = a y1 + w, y2 = a y2 + y1, w ~ N(0, 1)
  const gain = sd / Math.sqrt((1 + a * a) / pow(1 - a * a, 3));
  const y1 = [0, 0, 0, 0],
    y2 = [0, 0, 0, 0];
  const step = (k: number) => {
    y1[k] = a * y1[k] + rng.normal();
    y2[k] = a * y2[k] + y1[k];
    return gain * y2[k];
  };
  for (let i = 0; i < Math.ceil(10 * tau * rate); i++) for (let k = 0; k < 4; k++) step(k);
  return step;
}

const meanOf = ([a, b]: [number, number]) => (a + b) / 2;

/** Linear interpolation of (t, v) at `at` (held at the ends). */
function resample(t: Float64Array, v: ArrayLike<number>, at: Float64Array): Float64Array {
  const out = new Float64Array(at.length);
  let j = 0;
  for (let i = 0; i < at.length; i++) {
    while (j < t.length - 2 && t[j + 1] <= at[i]) j++;
    const f = Math.min(1, Math.max(0, (at[i] - t[j]) / (t[j + 1] - t[j])));
    out[i] = v[j] + f * (v[j + 1] - v[j]);
  }
  return out;
}

/** Angles interpolated along the shorter arc, wrapped to (−π, π]. */
function resampleAngle(t: Float64Array, a: ArrayLike<number>, at: Float64Array): Float64Array {
  const unwrapped = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    unwrapped[i] = i === 0 ? a[0] : unwrapped[i - 1] + wrap(a[i] - a[i - 1]);
  }
  return resample(t, unwrapped, at).map(wrap);
}

const wrap = (a: number) => atan2(sin(a), cos(a));

/** Direction of motion over ±2 frames, held while the animal moves slower than 2 cm/s. */
function headingOfMotion(x: Float64Array, y: Float64Array, rate: number): Float64Array {
  const n = x.length,
    hd = new Float64Array(n);
  let last = 0,
    first = -1;
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - 2),
      b = Math.min(n - 1, i + 2);
    const dx = x[b] - x[a],
      dy = y[b] - y[a];
    if (b > a && (hypot(dx, dy) * rate) / (b - a) > 2) {
      last = atan2(dy, dx);
      if (first < 0) first = i;
    }
    hd[i] = last;
  }
  // Frames before the first movement take its heading.
  if (first > 0) hd.fill(hd[first], 0, first);
  return hd;
}

/**
 * Non-overlapping runs: each frame not in a run starts one with probability `p`, lengths uniform
 * on [min, max]; runs are separated by at least one frame so they stay countable.
 */
function drawRuns(rng: Rng, frames: number, p: number, [min, max]: [number, number]): FrameRun[] {
  const runs: FrameRun[] = [];
  for (let i = 0; i < frames; i++) {
    if (rng.uniform() >= p) continue;
    const end = Math.min(frames, i + min + rng.int(max - min + 1));
    runs.push({ start: i, end });
    i = end; // skips the frame after the run too
  }
  return runs;
}

function runMask(frames: number, runs: FrameRun[]): Uint8Array {
  const m = new Uint8Array(frames);
  for (const r of runs) m.fill(1, r.start, r.end);
  return m;
}

/** The runs trimmed to the frames still set in `mask` (swaps hidden by drops vanish). */
function masked(runs: FrameRun[], mask: Uint8Array): FrameRun[] {
  const out: FrameRun[] = [];
  for (const r of runs) {
    let i = r.start;
    while (i < r.end) {
      while (i < r.end && !mask[i]) i++;
      const s = i;
      while (i < r.end && mask[i]) i++;
      if (i > s) out.push({ start: s, end: i });
    }
  }
  return out;
}
