import { checkNumber, checkOptionNames, median, medianInPlace, ParameterError, toMatrix } from '@spyglass-wasm/core';
import type { Matrix } from '@spyglass-wasm/core';
import { interpolatePosition } from '../environment/kde.js';

export interface DecodingErrorOptions {
  /** Only bins where the true speed exceeds this count as running (cm/s, default 4). */
  minSpeed?: number;
  /**
   * The animal's speed (cm/s) at each of `truthTimes`, from the position step (processPosition /
   * positionFromSeries: smoothed position, Gaussian-smoothed velocity). Pass it whenever the truth
   * is tracked position: central differences of tracked frames read camera jitter as running.
   * NaN marks an unknown speed (that bin never counts as running). Default: central differences
   * of `truth` (clean, simulated trajectories).
   */
  speed?: Float64Array;
}

export interface DecodingError {
  median: number;
  mean: number;
  medianRunning: number;
  meanRunning: number;
  n: number;
  nRunning: number;
  /** Error per time bin (cm), NaN where the truth is unknown. */
  errors: Float64Array;
  /** 1 where the bin counts as running (speed > minSpeed, error known), else 0. */
  running: Uint8Array;
}

/**
 * Euclidean distance (cm) between decoded and true position at each decoding time, summarised
 * overall and while running (speed > minSpeed: the `speed` given, else the true trajectory's
 * central differences).
 *
 * @example
 * const err = decodingError(result.time, result.mean, positionTimes, positionCm, { speed: processed.speed });
 * err.medianRunning; // cm
 */
export function decodingError(
  times: Float64Array,
  decodedInput: Matrix<Float64Array>,
  truthTimes: Float64Array,
  truthInput: Matrix<Float64Array>,
  options: DecodingErrorOptions = {},
): DecodingError {
  checkOptionNames('decodingError', options, ['minSpeed', 'speed']);
  const minSpeed = checkNumber('minSpeed', options.minSpeed ?? 4, { min: 0 });
  const decoded = positionMatrix('decoded', decodedInput);
  const truth = positionMatrix('truth', truthInput);
  checkTimes('times', times, decoded.rows);
  checkTimes('truthTimes', truthTimes, truth.rows);
  if (decoded.cols !== truth.cols)
    throw new ParameterError('decoded', `${truth.cols} column(s), as the true position`, `${decoded.cols} columns`);
  const d = truth.cols;
  const speed = options.speed === undefined ? centralSpeed(truthTimes, truth) : options.speed;
  checkTimes('speed', speed, truth.rows, 'speed');
  const at = interpolatePosition(truthTimes, truth, times);
  const sp = interpolatePosition(truthTimes, { data: speed, rows: speed.length, cols: 1 }, times).data;
  const errors = new Float64Array(times.length);
  const running = new Uint8Array(times.length);
  for (let t = 0; t < times.length; t++) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const v = decoded.data[t * d + k] - at.data[t * d + k];
      s += v * v;
    }
    errors[t] = Math.sqrt(s);
    running[t] = Number.isFinite(errors[t]) && sp[t] > minSpeed ? 1 : 0;
  }
  return errorStats(errors, running);
}

/**
 * decodingError over consecutive spans of one decode (e.g. its chunks, in order), joined: the
 * same numbers as one call over the whole span, bit for bit.
 *
 * @example
 * const parts = chunks.map((c) => decodingError(c.time, c.map, positionTimes, position, { speed }));
 * joinDecodingErrors(parts).medianRunning;
 */
export function joinDecodingErrors(parts: readonly DecodingError[]): DecodingError {
  const errors = new Float64Array(parts.reduce((n, p) => n + p.errors.length, 0));
  const running = new Uint8Array(errors.length);
  let o = 0;
  for (const p of parts) {
    errors.set(p.errors, o);
    running.set(p.running, o);
    o += p.errors.length;
  }
  return errorStats(errors, running);
}

/** decodingError's numbers without the per-bin arrays. */
export type DecodingErrorSummary = Omit<DecodingError, 'errors' | 'running'>;

/**
 * joinDecodingErrors' numbers (medians, means, counts; bit for bit) of consecutive parts added one
 * at a time, in 8 bytes per known error and 8 more per running one: the parts' per-bin arrays can
 * go as soon as they are added (exact medians: the known errors themselves are kept, selected at the
 * end in place; no histogram or streaming estimate).
 *
 * @example
 * const stats = new DecodingErrorStats(bins.nTime);
 * for (const c of chunks) stats.add(decodingError(c.time, c.map, positionTimes, position, { speed }));
 * stats.summary().medianRunning;
 */
export class DecodingErrorStats {
  private all: Float64Array;
  private run: Float64Array;
  private n = 0;
  private nRunning = 0;

  /** `capacity`: the number of bins expected (the buffers grow past it when needed). */
  constructor(capacity = 1024) {
    this.all = new Float64Array(Math.max(1, capacity));
    this.run = new Float64Array(Math.max(1, capacity));
  }

  add(part: DecodingError): void {
    const { errors, running } = part;
    for (let t = 0; t < errors.length; t++) {
      const e = errors[t];
      if (!Number.isFinite(e)) continue;
      if (this.n === this.all.length) this.all = grown(this.all);
      this.all[this.n++] = e;
      if (!running[t]) continue;
      if (this.nRunning === this.run.length) this.run = grown(this.run);
      this.run[this.nRunning++] = e;
    }
  }

  /** The numbers over every part added so far (reorders the kept errors in place: core's medianInPlace). */
  summary(): DecodingErrorSummary {
    const all = this.all.subarray(0, this.n),
      run = this.run.subarray(0, this.nRunning);
    // the means first, in the order the errors came (as errorStats sums them)
    const mean = meanOf(all),
      meanRunning = meanOf(run);
    return {
      median: medianInPlace(this.all, this.n),
      mean,
      medianRunning: medianInPlace(this.run, this.nRunning),
      meanRunning,
      n: all.length,
      nRunning: run.length,
    };
  }
}

function grown(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

/** Median and mean of the known errors, overall and where running. */
function errorStats(errors: Float64Array, running: Uint8Array): DecodingError {
  const all: number[] = [],
    run: number[] = [];
  for (let t = 0; t < errors.length; t++) {
    if (!Number.isFinite(errors[t])) continue;
    all.push(errors[t]);
    if (running[t]) run.push(errors[t]);
  }
  return {
    median: median(all),
    mean: meanOf(all),
    medianRunning: median(run),
    meanRunning: meanOf(run),
    n: all.length,
    nRunning: run.length,
    errors,
    running,
  };
}

/** A position matrix (rows × 1 or 2, cm) of float values (a typed error naming `name` otherwise). */
function positionMatrix(name: string, value: unknown): Matrix<Float64Array> {
  const m = toMatrix(value as Float64Array, name);
  const data: unknown = m.data;
  if (!(data instanceof Float64Array || data instanceof Float32Array))
    throw new ParameterError(name, 'float positions (Float64Array or Float32Array data, cm)', data);
  if (m.cols !== 1 && m.cols !== 2)
    throw new ParameterError(name, 'positions of rows × 1 or 2 columns (cm)', `${m.rows} × ${m.cols}`);
  return data instanceof Float64Array ? m : { data: Float64Array.from(data), rows: m.rows, cols: m.cols };
}

/** Speed (cm/s) of a clean trajectory by central differences (one-sided at the ends). */
function centralSpeed(times: Float64Array, truth: Matrix<Float64Array>): Float64Array {
  const d = truth.cols;
  const speed = new Float64Array(truth.rows);
  for (let i = 0; i < truth.rows; i++) {
    const a = Math.max(0, i - 1),
      b = Math.min(truth.rows - 1, i + 1);
    let s = 0;
    for (let k = 0; k < d; k++) {
      const v = truth.data[b * d + k] - truth.data[a * d + k];
      s += v * v;
    }
    speed[i] = Math.sqrt(s) / (times[b] - times[a]);
  }
  return speed;
}

/** One time (s), or one speed (cm/s), per row of its matrix. */
function checkTimes(name: string, values: unknown, rows: number, noun: 'time' | 'speed' = 'time'): void {
  const unit = noun === 'time' ? 's' : 'cm/s';
  if (!(values instanceof Float64Array)) throw new ParameterError(name, `a Float64Array of ${noun}s (${unit})`, values);
  if (values.length !== rows)
    throw new ParameterError(name, `one ${noun} per row (${rows})`, `${values.length} ${noun}s`);
}

function meanOf(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return v.length ? s / v.length : NaN;
}
