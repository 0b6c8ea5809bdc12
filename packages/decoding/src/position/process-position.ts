import { ParameterError, checkNumber, type Matrix } from '@spyglass-wasm/core';
import { gaussianSmooth, interpolateGaps, movingAverage, unwrap, wrapAngle } from './smooth.js';

/** Raw tracking: one or two LEDs (rows × 2), in pixels or cm. */
export interface RawPosition {
  times: Float64Array;
  led1: Matrix<Float64Array>;
  led2?: Matrix<Float64Array>;
}

/** Spyglass's TrodesPosParams, in this package's names (defaults as Spyglass's 'default' set). */
export interface PositionOptions {
  /** Scale of the raw coordinates (default 1: already cm). */
  cmPerPixel?: number;
  /** Samples whose LEDs are further apart are dropped (cm, default 9). */
  maxLedSeparation?: number;
  /** Samples an LED reaches faster than this are dropped (cm/s, default 300). */
  maxPlausibleSpeed?: number;
  /** Dropped runs up to this long are interpolated (s, default: every interior run). */
  maxGap?: number;
  /** Moving-average window on each LED (s, default 0.125). */
  positionSmoothingDuration?: number;
  /** Gaussian SD for velocity (s, default 0.1) and head orientation (s, default 0.001). */
  speedSmoothingStd?: number;
  orientationSmoothingStd?: number;
  /** LED 1 is at the front of the head (default true). */
  led1IsFront?: boolean;
  /** Resample everything to this rate (Hz), e.g. the decoding rate; default: keep the camera's times. */
  upsampleRate?: number;
}

export interface ProcessedPosition {
  times: Float64Array;
  /** rows × 2, cm: LED centroid (or the single LED). */
  position: Matrix<Float64Array>;
  /** Head direction (rad, (-π, π]), from back LED to front LED; NaN with one LED. */
  orientation: Float64Array;
  /** rows × 2, cm/s. */
  velocity: Matrix<Float64Array>;
  /** cm/s. */
  speed: Float64Array;
  /** Samples dropped by the separation or speed rules (before interpolation). */
  dropped: number;
}

/**
 * Cleans camera tracking as Spyglass's Trodes position pipeline: pixels → cm, drop samples with
 * implausible LED separation or speed, interpolate the gaps, smooth each LED, take the centroid and
 * head orientation, then a Gaussian-smoothed velocity and speed, optionally resampled to a new rate.
 *
 * @example
 * const p = processPosition({ times, led1, led2 }, { cmPerPixel: 0.2, upsampleRate: 500 });
 * p.position; p.speed; p.orientation;
 */
export function processPosition(raw: RawPosition, options: PositionOptions = {}): ProcessedPosition {
  const n = raw.times.length;
  for (const [name, m] of [['led1', raw.led1], ['led2', raw.led2]] as const) {
    if (m && (m.rows !== n || m.cols !== 2)) throw new ParameterError(name, `${n} rows × 2 columns`, `${m.rows} × ${m.cols}`);
  }
  const scale = checkNumber('cmPerPixel', options.cmPerPixel ?? 1, { min: 1e-12 });
  const maxSep = checkNumber('maxLedSeparation', options.maxLedSeparation ?? 9, { min: 0 });
  const maxSpeed = checkNumber('maxPlausibleSpeed', options.maxPlausibleSpeed ?? 300, { min: 0 });
  const dt = medianStep(raw.times);
  const leds = [raw.led1, raw.led2].filter((m): m is Matrix<Float64Array> => !!m).map((m) => [0, 1].map((c) => Float64Array.from({ length: n }, (_, i) => m.data[i * 2 + c] * scale)));
  const bad = new Uint8Array(n);
  if (leds.length === 2) for (let i = 0; i < n; i++) {
    if (Math.hypot(leds[0][0][i] - leds[1][0][i], leds[0][1][i] - leds[1][1][i]) > maxSep) bad[i] = 1;
  }
  for (const [x, y] of leds) {
    let last = -1;
    for (let i = 0; i < n; i++) {
      if (bad[i] || Number.isNaN(x[i]) || Number.isNaN(y[i])) { bad[i] = 1; continue; }
      if (last >= 0 && Math.hypot(x[i] - x[last], y[i] - y[last]) / (raw.times[i] - raw.times[last]) > maxSpeed) { bad[i] = 1; continue; }
      last = i;
    }
  }
  const dropped = bad.reduce((s, v) => s + v, 0);
  const window = (options.positionSmoothingDuration ?? 0.125) / dt;
  const clean = leds.map((xy) => xy.map((v) => {
    const masked = v.map((val, i) => (bad[i] ? NaN : val));
    return movingAverage(interpolateGaps(masked, raw.times, options.maxGap), window);
  }));
  const cx = new Float64Array(n), cy = new Float64Array(n), orient = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    cx[i] = clean.reduce((s, l) => s + l[0][i], 0) / clean.length;
    cy[i] = clean.reduce((s, l) => s + l[1][i], 0) / clean.length;
  }
  if (clean.length === 2) {
    const [front, back] = options.led1IsFront === false ? [clean[1], clean[0]] : [clean[0], clean[1]];
    for (let i = 0; i < n; i++) orient[i] = Math.atan2(front[1][i] - back[1][i], front[0][i] - back[0][i]);
  }
  let times: Float64Array = raw.times, px: Float64Array = cx, py: Float64Array = cy, un: Float64Array = unwrap(orient);
  if (options.upsampleRate !== undefined) {
    const rate = checkNumber('upsampleRate', options.upsampleRate, { min: 1e-6 });
    const m = Math.floor((raw.times[n - 1] - raw.times[0]) * rate + 1e-9) + 1;
    times = Float64Array.from({ length: m }, (_, i) => raw.times[0] + i / rate);
    [px, py, un] = [cx, cy, un].map((v) => resample(raw.times, v, times));
  }
  const step = medianStep(times);
  const oSd = (options.orientationSmoothingStd ?? 0.001) / step;
  const orientation = gaussianSmooth(un, oSd).map((a) => (Number.isNaN(a) ? NaN : wrapAngle(a)));
  const vSd = (options.speedSmoothingStd ?? 0.1) / step;
  const vx = gaussianSmooth(gradient(px, times), vSd), vy = gaussianSmooth(gradient(py, times), vSd);
  const m = times.length, pos = new Float64Array(m * 2), vel = new Float64Array(m * 2), speed = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    pos[2 * i] = px[i]; pos[2 * i + 1] = py[i];
    vel[2 * i] = vx[i]; vel[2 * i + 1] = vy[i];
    speed[i] = Math.hypot(vx[i], vy[i]);
  }
  return { times, position: { data: pos, rows: m, cols: 2 }, orientation, velocity: { data: vel, rows: m, cols: 2 }, speed, dropped };
}

function medianStep(t: Float64Array): number {
  const d = Array.from({ length: t.length - 1 }, (_, i) => t[i + 1] - t[i]).sort((a, b) => a - b);
  const step = d[d.length >> 1];
  if (!(step > 0)) throw new ParameterError('times', 'increasing sample times', `median step ${step}`);
  return step;
}

/** Central differences (one-sided at the ends). */
function gradient(x: Float64Array, t: Float64Array): Float64Array {
  const n = x.length, out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - 1), b = Math.min(n - 1, i + 1);
    out[i] = (x[b] - x[a]) / (t[b] - t[a]);
  }
  return out;
}

function resample(t: Float64Array, v: Float64Array, at: Float64Array): Float64Array {
  const out = new Float64Array(at.length);
  let j = 0;
  for (let i = 0; i < at.length; i++) {
    while (j + 2 < t.length && t[j + 1] <= at[i]) j++;
    const f = (at[i] - t[j]) / (t[j + 1] - t[j]);
    out[i] = v[j] + Math.min(1, Math.max(0, f)) * (v[j + 1] - v[j]);
  }
  return out;
}
