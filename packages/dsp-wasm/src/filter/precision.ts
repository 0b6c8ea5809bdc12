import { checkChoice, type FloatArray, type Matrix, cos, log } from '@spyglass-wasm/core';
import { sosfiltReference } from '../reference/sosfilt.js';
import type { Precision } from './sos.js';

/** What the caller asked for: a fixed arithmetic, or 'auto' (the default) to let the filter choose. */
export type PrecisionOption = Precision | 'auto';

/**
 * Largest max|y32 − y64| / RMS(y64) that 'auto' accepts from float32 arithmetic, in the design
 * probe and in the trial on the caller's data. The worst error over a whole recording grows past
 * the trial's (up to 1.5× in our measurements: spikes make the error's tails heavy), so 6e-5 keeps
 * the whole within the 1e-4 budget.
 */
const FLOAT32_TOLERANCE = 6e-5;
/** Rows of the caller's data, from the middle of the recording, that 'auto' filters both ways. */
const AUTO_TRIAL_ROWS = 16384;
/** Shorter recordings keep float64: the trial would cost too large a share, and float32 saves little. */
const AUTO_MIN_ROWS = 8 * AUTO_TRIAL_ROWS;

/**
 * Poles closer to the unit circle than this make float32 recursions lose too much (rounding is
 * amplified by ~1 / (1 − r)): butter(4, [300, 6000]) at 30 kHz reaches r ≈ 0.978, butter(4, 1 Hz)
 * at 30 kHz r ≈ 0.99992. Designs within it still pass the probe and the trial below.
 */
const FLOAT32_MAX_POLE_RADIUS = 0.999;

/** Largest |pole| of the sections (roots of z² + a1·z + a2, a0 normalised to 1). */
export function maxPoleRadius(sos: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i + 5 < sos.length; i += 6) {
    const a1 = sos[i + 4] / sos[i + 3],
      a2 = sos[i + 5] / sos[i + 3];
    const disc = a1 * a1 - 4 * a2;
    const r = disc < 0 ? Math.sqrt(a2) : (Math.abs(a1) + Math.sqrt(disc)) / 2;
    worst = Math.max(worst, r);
  }
  return worst;
}

export function checkPrecision(value: unknown): PrecisionOption {
  return checkChoice('precision', value ?? 'auto', ['auto', 'float64', 'float32'] as const);
}

const probeCache = new Map<string, number>();
const PROBE_LENGTH = 8192;

/**
 * How much float32 arithmetic loses on this design: max|y32 − y64| / RMS(y64) of a forward–backward
 * pass over seeded white noise, with the kernels' exact float32 rounding (the TypeScript
 * reference). Poles near the unit circle, above all at low frequency relative to fs (butter(4,
 * 1 Hz) at 30 kHz), make this large; butter(4, [300, 6000]) at 30 kHz gives ~1e-5. Cached per SOS.
 */
export function float32DesignError(sos: ArrayLike<number>): number {
  const key = Array.prototype.join.call(sos, ',');
  const hit = probeCache.get(key);
  if (hit !== undefined) return hit;
  const x = whiteNoise(PROBE_LENGTH);
  const run = (single: boolean): Float64Array => {
    const y = single ? Float32Array.from(x) : Float64Array.from(x);
    const nsec = sos.length / 6;
    for (const reverse of [false, true]) {
      const state = single ? new Float32Array(nsec * 2) : new Float64Array(nsec * 2);
      sosfiltReference(sos, y, y.length, 1, state, 1, reverse, single);
    }
    return Float64Array.from(y);
  };
  // The first and last quarter hold the start-up transients of a zero state: measure the middle.
  const lo = PROBE_LENGTH >> 2,
    hi = PROBE_LENGTH - lo;
  const error = maxErrorOverRms(run(true).subarray(lo, hi), run(false).subarray(lo, hi));
  if (probeCache.size > 64) probeCache.clear();
  probeCache.set(key, error);
  return error;
}

/**
 * A pass's arithmetic for decimate's zero-phase path, which may also take 'mixed': float32 in the
 * forward pass, float64 in the backward one (about half float32's error, most of its speed-up).
 */
export type Arithmetic = Precision | 'mixed';

/**
 * The arithmetic for a call: the caller's choice, else float32 when the data are Float32Array, at
 * least AUTO_MIN_ROWS long (4.4 s at 30 kHz), the design is well conditioned (every pole within
 * FLOAT32_MAX_POLE_RADIUS, and float32DesignError within tolerance) and both trials on the data
 * themselves, filtered both ways, stay within FLOAT32_TOLERANCE: AUTO_TRIAL_ROWS rows from the
 * middle (over their middle half; their own ends are start-up transients), and EDGE_TRIAL_ROWS
 * from the first row (over their first half), where the call's own start-up transient is. The
 * trials catch what the design alone cannot: large out-of-band content (a DC offset or LFP 100×
 * the spike-band noise raises float32's error on butter(4, [300, 6000]) from 2e-5 to ~7e-4 of
 * the output's RMS), large spikes, or an offset that settles in the first rows (~4e-4).
 */
export function resolvePrecision(
  option: PrecisionOption,
  sos: ArrayLike<number>,
  m: Matrix<FloatArray>,
  trial: (precision: Precision, startRow: number, rows: number) => FloatArray | null,
): Precision {
  return chooseArithmetic(option, sos, m, trial, ['float32']);
}

/**
 * resolvePrecision for decimate's zero-phase path: where float32 fails a trial on these data,
 * 'mixed' arithmetic under the same rule, trials and tolerance (cheby1(8, 0.05, 0.08), decimate's
 * default, loses ~7e-5 of RMS in float32 and ~4e-5 in mixed on spike-band data).
 */
export function resolveArithmetic(
  option: PrecisionOption,
  sos: ArrayLike<number>,
  m: Matrix<FloatArray>,
  trial: (arithmetic: Arithmetic, startRow: number, rows: number) => FloatArray | null,
): Arithmetic {
  return chooseArithmetic(option, sos, m, trial, ['float32', 'mixed']);
}

/** The first of `candidates` that passes the gates and both trials, else float64. */
function chooseArithmetic<A extends Arithmetic>(
  option: PrecisionOption,
  sos: ArrayLike<number>,
  m: Matrix<FloatArray>,
  trial: (arithmetic: A | 'float64', startRow: number, rows: number) => FloatArray | null,
  candidates: readonly A[],
): A | Precision {
  if (option !== 'auto') return option;
  if (!(m.data instanceof Float32Array) || m.rows < AUTO_MIN_ROWS) return 'float64';
  if (!(maxPoleRadius(sos) <= FLOAT32_MAX_POLE_RADIUS)) return 'float64';
  if (!(float32DesignError(sos) <= FLOAT32_TOLERANCE)) return 'float64';
  const start = (m.rows - AUTO_TRIAL_ROWS) >> 1;
  const middle64 = trial('float64', start, AUTO_TRIAL_ROWS);
  if (!middle64) return 'float64'; // the call's options leave no room for a trial
  let edge64: FloatArray | null | undefined; // filtered in float64 once, when a candidate gets that far
  for (const candidate of candidates) {
    const middle = trial(candidate, start, AUTO_TRIAL_ROWS);
    if (!middle || middleError(middle, middle64, m.cols) > FLOAT32_TOLERANCE) continue;
    edge64 ??= trial('float64', 0, EDGE_TRIAL_ROWS);
    const edge = edge64 && trial(candidate, 0, EDGE_TRIAL_ROWS);
    if (edge && edge64 && edgeError(edge, edge64, m.cols) <= FLOAT32_TOLERANCE) return candidate;
  }
  return 'float64';
}

/**
 * Rows of the edge trial, from the first row as the call starts them. The start-up transient
 * (content the filter removes, from the first row's steady state, or an offset that settles)
 * decays within ~1000 rows at poles r ≈ 0.98; the trial's own end is ~2000 rows later.
 */
const EDGE_TRIAL_ROWS = AUTO_TRIAL_ROWS >> 2;

/** The middle trial's error over its middle half (its own ends are start-up transients). */
function middleError(y: FloatArray, y64: FloatArray, cols: number): number {
  const keep = (v: FloatArray) => v.subarray((AUTO_TRIAL_ROWS >> 2) * cols, ((3 * AUTO_TRIAL_ROWS) >> 2) * cols);
  return maxErrorOverRms(keep(y), keep(y64));
}

/** The edge trial's error over its first half (before its own, artificial, end). */
function edgeError(y: FloatArray, y64: FloatArray, cols: number): number {
  const keep = (v: FloatArray) => v.subarray(0, (EDGE_TRIAL_ROWS >> 1) * cols);
  return maxErrorOverRms(keep(y), keep(y64));
}

/** max|a − b| / RMS(b) over the samples where b is a number; Infinity where only one is NaN. */
export function maxErrorOverRms(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0,
    ss = 0,
    count = 0;
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) {
      if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    ss += b[i] * b[i];
    count++;
  }
  return worst === 0 ? 0 : worst / Math.sqrt(ss / count);
}

function whiteNoise(n: number): Float64Array {
  let s = 0x2545f491;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sqrt(-2 * log(next())) * cos(2 * Math.PI * next());
  return x;
}
