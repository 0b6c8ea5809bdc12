import { ParameterError, checkNumber, medianStep, type Matrix, atan2, cos, sin } from '@spyglass-wasm/core';
import {
  fillGaps,
  gaussianFilterZeroPadded,
  gradient,
  linspace,
  resampleLinear,
  trailingMean,
  unwrapSkippingNaN,
} from './trodes-numerics.js';

/** Raw tracking: one or two LEDs (rows × 2: x, y), in `unit`. */
export interface RawPosition {
  times: Float64Array;
  led1: Matrix<Float64Array>;
  led2?: Matrix<Float64Array>;
}

/** Units of raw coordinates; NWB's spelled-out names are accepted too. */
export type PositionUnit = 'cm' | 'm' | 'mm' | 'px' | 'centimeters' | 'meters' | 'metres' | 'millimeters' | 'pixels';

/** The unit of raw coordinates: a length unit, or pixels with exactly one of the two scales. */
export interface PositionUnitOptions {
  /** Default 'cm', or 'px' when a pixel scale is given. */
  unit?: PositionUnit;
  /** For unit 'px': pixels per centimetre … */
  pixelsPerCm?: number;
  /** … or centimetres per pixel (Spyglass: 100 × the SpatialSeries' conversion, metres per pixel). */
  cmPerPixel?: number;
}

/** Spyglass's TrodesPosParams in this package's names; defaults are Spyglass's 'default' set. */
export interface PositionOptions extends PositionUnitOptions {
  /** Samples whose LEDs are this far apart or more are dropped (cm, default 9; max_LED_separation). */
  maxLedSeparation?: number;
  /** Samples where either LED's smoothed speed exceeds this are dropped (cm/s, default 300; max_plausible_speed). */
  maxPlausibleSpeed?: number;
  /**
   * NaN runs (dropped or missing samples) are interpolated when the valid samples either side are
   * at most this many seconds apart; longer runs stay NaN (default Infinity: every interior run,
   * as Spyglass).
   */
  maxGap?: number;
  /** Trailing moving-average window on each LED, seconds (default 0.125; position_smoothing_duration). */
  positionSmoothingDuration?: number;
  /** Gaussian σ of velocity, and of the speed the speed rule tests, seconds (default 0.1; speed_smoothing_std_dev). */
  speedSmoothingStd?: number;
  /** Gaussian σ of the unwrapped head direction, seconds (default 0.001; orient_smoothing_std_dev). */
  orientationSmoothingStd?: number;
  /** LED 1 is the front one (default true; led1_is_front). */
  led1IsFront?: boolean;
  /** Resample the smoothed LEDs to `upsampleRate` (default false; is_upsampled). */
  upsample?: boolean;
  /** Hz (default 500; upsampling_sampling_rate). Giving it turns upsampling on. */
  upsampleRate?: number;
}

export interface ProcessedPosition {
  times: Float64Array;
  /** rows × 2, cm: LED centroid (or the single LED). */
  position: Matrix<Float64Array>;
  /** Head direction (rad, [-π, π]), from back LED to front LED; NaN with one LED. */
  orientation: Float64Array;
  /** rows × 2, cm/s. */
  velocity: Matrix<Float64Array>;
  /** cm/s. */
  speed: Float64Array;
  /**
   * Runs of raw samples without usable tracking (NaN, or dropped by a rule), each as [time of the
   * usable sample before, time of the usable sample after] (the first / last sample's time at the
   * ends): where position and speed are interpolated, or NaN beyond `maxGap`, not tracked.
   */
  untracked: [number, number][];
  /** Samples dropped by the separation or speed rule (before interpolation), and by each. */
  dropped: number;
  droppedBySeparation: number;
  droppedBySpeed: number;
}

type Xy = [Float64Array, Float64Array];

/**
 * Cleans camera tracking as Spyglass's Trodes position pipeline (TrodesPosV1): convert to cm;
 * drop samples whose LEDs are ≥ maxLedSeparation apart, then samples where either LED's
 * Gaussian-smoothed speed exceeds maxPlausibleSpeed; interpolate the gaps (up to `maxGap`);
 * smooth each LED with a trailing moving average; optionally resample; then the LED centroid,
 * the head direction (unwrapped, Gaussian-smoothed, wrapped back) and the Gaussian-smoothed
 * velocity and speed. Gaussians run to 8 σ with zeros beyond the ends, as position_tools does, so
 * velocity is pulled towards 0 within 8 σ of the ends and is NaN within 8 σ of a NaN run.
 *
 * @example
 * const p = processPosition({ times, led1, led2 }, { unit: 'px', pixelsPerCm: 5, maxGap: 1 });
 * p.position; p.speed; p.orientation;
 */
export function processPosition(raw: RawPosition, options: PositionOptions = {}): ProcessedPosition {
  const o = settings(options);
  const times = checkTimes(raw.times);
  const n = times.length;
  const leds = [raw.led1, raw.led2].flatMap((m, k) =>
    k === 0 || m ? [ledInCm(m, `led${k + 1}`, n, o.cmPerUnit)] : [],
  );
  const fs = 1 / medianStep(times, { maxSteps: Infinity });

  const bad = new Uint8Array(n);
  const droppedBySeparation = leds.length === 2 ? dropSeparated(leds[0], leds[1], o.maxLedSeparation, bad) : 0;
  const droppedBySpeed = dropFast(leds, times, o.speedSmoothingStd * fs, o.maxPlausibleSpeed, bad);
  const untracked = untrackedRuns(leds, times);
  const window = Math.max(1, Math.trunc(o.positionSmoothingDuration * fs));
  let smooth = leds.map((led) => smoothLed(led, times, o.maxGap, window));

  let outTimes: Float64Array = times,
    rate = fs;
  if (o.upsampleRate !== undefined) {
    const count = Math.ceil((times[n - 1] - times[0]) * o.upsampleRate) + 1;
    outTimes = linspace(times[0], times[n - 1], count);
    rate = o.upsampleRate;
    smooth = smooth.map((xy) => xy.map((v) => resampleLinear(v, times, outTimes)) as Xy);
  }

  const m = outTimes.length;
  const [front, back] =
    o.led1IsFront || smooth.length === 1 ? [smooth[0], smooth[smooth.length - 1]] : [smooth[1], smooth[0]];
  const cx = new Float64Array(m),
    cy = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    cx[i] = (back[0][i] + front[0][i]) / 2;
    cy[i] = (back[1][i] + front[1][i]) / 2;
  }
  const orientation =
    smooth.length === 2 ? headDirection(front, back, o.orientationSmoothingStd * rate) : new Float64Array(m).fill(NaN);
  const sigma = o.speedSmoothingStd * rate;
  const vx = gaussianFilterZeroPadded(gradient(cx, outTimes), sigma),
    vy = gaussianFilterZeroPadded(gradient(cy, outTimes), sigma);
  const position = new Float64Array(2 * m),
    velocity = new Float64Array(2 * m),
    speed = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    position[2 * i] = cx[i];
    position[2 * i + 1] = cy[i];
    velocity[2 * i] = vx[i];
    velocity[2 * i + 1] = vy[i];
    speed[i] = Math.sqrt(vx[i] * vx[i] + vy[i] * vy[i]);
  }
  return {
    times: outTimes,
    position: { data: position, rows: m, cols: 2 },
    orientation,
    velocity: { data: velocity, rows: m, cols: 2 },
    speed,
    untracked,
    dropped: bad.reduce((s, v) => s + v, 0),
    droppedBySeparation,
    droppedBySpeed,
  };
}

/** Centimetres per raw unit from `unit` / `pixelsPerCm` / `cmPerPixel`. */
export function cmPerUnit(o: PositionUnitOptions): number {
  const hasPx = o.pixelsPerCm !== undefined || o.cmPerPixel !== undefined;
  const unit = o.unit ?? (hasPx ? 'px' : 'cm');
  const lengths: Record<string, number> = {
    cm: 1,
    centimeters: 1,
    m: 100,
    meters: 100,
    metres: 100,
    mm: 0.1,
    millimeters: 0.1,
  };
  if (unit === 'px' || unit === 'pixels') {
    if (o.pixelsPerCm !== undefined && o.cmPerPixel !== undefined)
      throw new ParameterError('pixelsPerCm', 'either pixelsPerCm or cmPerPixel, not both', o.pixelsPerCm);
    if (o.pixelsPerCm !== undefined)
      return 1 / checkNumber('pixelsPerCm', o.pixelsPerCm, { min: 0, exclusiveMin: true });
    if (o.cmPerPixel !== undefined) return checkNumber('cmPerPixel', o.cmPerPixel, { min: 0, exclusiveMin: true });
    throw new ParameterError('pixelsPerCm', "a scale with unit 'px' (pixelsPerCm or cmPerPixel)", undefined);
  }
  if (!(unit in lengths))
    throw new ParameterError(
      'unit',
      "'cm', 'm', 'mm' or 'px' (or NWB's 'meters', 'centimeters', 'millimeters', 'pixels')",
      unit,
    );
  if (hasPx)
    throw new ParameterError(
      o.pixelsPerCm !== undefined ? 'pixelsPerCm' : 'cmPerPixel',
      "a pixel scale only with unit 'px'",
      `unit ${JSON.stringify(unit)}`,
    );
  return lengths[unit];
}

function settings(o: PositionOptions) {
  if (o.led1IsFront !== undefined && typeof o.led1IsFront !== 'boolean')
    throw new ParameterError('led1IsFront', 'true or false', o.led1IsFront);
  if (o.upsample !== undefined && typeof o.upsample !== 'boolean')
    throw new ParameterError('upsample', 'true or false', o.upsample);
  const upsample = o.upsample ?? o.upsampleRate !== undefined;
  return {
    cmPerUnit: cmPerUnit(o),
    maxLedSeparation: checkNumber('maxLedSeparation', o.maxLedSeparation ?? 9, { min: 0, exclusiveMin: true }),
    maxPlausibleSpeed: checkNumber('maxPlausibleSpeed', o.maxPlausibleSpeed ?? 300, { min: 0, exclusiveMin: true }),
    maxGap: o.maxGap === undefined || o.maxGap === Infinity ? Infinity : checkNumber('maxGap', o.maxGap, { min: 0 }),
    positionSmoothingDuration: checkNumber('positionSmoothingDuration', o.positionSmoothingDuration ?? 0.125, {
      min: 0,
    }),
    speedSmoothingStd: checkNumber('speedSmoothingStd', o.speedSmoothingStd ?? 0.1, { min: 0 }),
    orientationSmoothingStd: checkNumber('orientationSmoothingStd', o.orientationSmoothingStd ?? 0.001, { min: 0 }),
    led1IsFront: o.led1IsFront ?? true,
    upsampleRate: upsample
      ? checkNumber('upsampleRate', o.upsampleRate ?? 500, { min: 0, exclusiveMin: true })
      : undefined,
  };
}

function checkTimes(times: Float64Array): Float64Array {
  if (!(times instanceof Float64Array) || times.length < 2)
    throw new ParameterError('times', 'a Float64Array of at least 2 sample times (s)', times);
  for (let i = 0; i < times.length; i++) {
    if (!Number.isFinite(times[i]) || (i > 0 && !(times[i] > times[i - 1]))) {
      throw new ParameterError(
        'times',
        'finite, strictly increasing sample times (s)',
        `times[${i}] = ${times[i]} after ${times[i - 1]}`,
      );
    }
  }
  return times;
}

/** An LED's x and y in cm; non-finite values become NaN (missing). */
function ledInCm(m: Matrix<Float64Array> | undefined, name: string, n: number, scale: number): Xy {
  if (!m || !m.data || m.rows !== n || m.cols !== 2 || m.data.length !== n * 2) {
    throw new ParameterError(
      name,
      `a matrix of ${n} rows (one per time) × 2 columns (x, y)`,
      m ? `${m.rows} × ${m.cols}` : undefined,
    );
  }
  const xy: Xy = [new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 2; c++) {
      const v = m.data[2 * i + c] * scale;
      xy[c][i] = Number.isFinite(v) ? v : NaN;
    }
  return xy;
}

/** Spyglass's separation rule: NaN both LEDs where they are maxSeparation apart or more. */
function dropSeparated(a: Xy, b: Xy, maxSeparation: number, bad: Uint8Array): number {
  const n = bad.length,
    far = new Uint8Array(n);
  let count = 0,
    anyClose = false;
  for (let i = 0; i < n; i++) {
    const dx = b[0][i] - a[0][i],
      dy = b[1][i] - a[1][i];
    if (Math.sqrt(dx * dx + dy * dy) >= maxSeparation) {
      far[i] = 1;
      count++;
    } else anyClose = true;
  }
  if (!anyClose)
    throw new ParameterError(
      'maxLedSeparation',
      `a separation some samples' LEDs are within (single-LED data: pass led1 only)`,
      maxSeparation,
    );
  for (let i = 0; i < n; i++)
    if (far[i] && !bad[i]) {
      markMissing([a, b], i);
      bad[i] = 1;
    }
  return count;
}

/**
 * Spyglass's speed rule: each LED's speed is |Gaussian-smoothed np.gradient| (σ = speed
 * smoothing); a NaN within 8 σ makes it NaN, which never counts as too fast.
 */
function dropFast(leds: Xy[], times: Float64Array, sigma: number, maxSpeed: number, bad: Uint8Array): number {
  const fast = new Uint8Array(bad.length);
  for (const [x, y] of leds) {
    const vx = gaussianFilterZeroPadded(gradient(x, times), sigma),
      vy = gaussianFilterZeroPadded(gradient(y, times), sigma);
    for (let i = 0; i < bad.length; i++) if (Math.sqrt(vx[i] * vx[i] + vy[i] * vy[i]) > maxSpeed) fast[i] = 1;
  }
  let count = 0;
  for (let i = 0; i < bad.length; i++) {
    if (!fast[i]) continue;
    count++;
    markMissing(leds, i);
    bad[i] = 1;
  }
  return count;
}

/** ProcessedPosition.untracked: the runs of samples where some LED is NaN (after the drop rules). */
function untrackedRuns(leds: Xy[], times: Float64Array): [number, number][] {
  const n = times.length;
  const usable = (i: number) => leds.every(([x, y]) => Number.isFinite(x[i]) && Number.isFinite(y[i]));
  const runs: [number, number][] = [];
  let lastUsable = -1;
  for (let i = 0; i < n; i++) {
    if (!usable(i)) continue;
    if (i - lastUsable > 1) runs.push([times[Math.max(0, lastUsable)], times[i]]);
    lastUsable = i;
  }
  if (lastUsable < n - 1) runs.push([times[Math.max(0, lastUsable)], times[n - 1]]);
  return runs;
}

function markMissing(leds: Xy[], i: number): void {
  for (const [x, y] of leds) {
    x[i] = NaN;
    y[i] = NaN;
  }
}

/** Interpolate the LED's gaps (a row is usable when x and y are both finite), then the trailing moving average. */
function smoothLed([x, y]: Xy, times: Float64Array, maxGap: number, window: number): Xy {
  const usable = Uint8Array.from(x, (v, i) => (Number.isFinite(v) && Number.isFinite(y[i]) ? 1 : 0));
  return [x, y].map((v) => trailingMean(fillGaps(v, times, usable, maxGap), window)) as Xy;
}

/** atan2(front − back), unwrapped over the non-NaN samples, Gaussian-smoothed there, wrapped back to [-π, π]. */
function headDirection(front: Xy, back: Xy, sigma: number): Float64Array {
  const m = front[0].length;
  const angle = Float64Array.from({ length: m }, (_, i) => atan2(front[1][i] - back[1][i], front[0][i] - back[0][i]));
  const unwrapped = unwrapSkippingNaN(angle);
  const finite = Array.from({ length: m }, (_, i) => i).filter((i) => !Number.isNaN(angle[i]));
  const smoothed = gaussianFilterZeroPadded(
    finite.map((i) => unwrapped[i]),
    sigma,
  );
  finite.forEach((i, k) => {
    angle[i] = atan2(sin(smoothed[k]), cos(smoothed[k]));
  });
  return angle;
}
