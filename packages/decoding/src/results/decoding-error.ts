import { checkNumber, checkOptionNames, median, ParameterError, toMatrix } from '@spyglass-wasm/core';
import type { Matrix } from '@spyglass-wasm/core';
import { interpolatePosition } from '../environment/kde.js';

export interface DecodingErrorOptions {
  /** Only bins where the true speed exceeds this count as running (cm/s, default 4). */
  minSpeed?: number;
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
}

/**
 * Euclidean distance (cm) between decoded and true position at each decoding time, summarised
 * overall and while running (speed from the true trajectory's central differences).
 *
 * @example
 * const err = decodingError(result.time, result.mean, positionTimes, positionCm);
 * err.medianRunning; // cm
 */
export function decodingError(
  times: Float64Array,
  decodedInput: Matrix<Float64Array>,
  truthTimes: Float64Array,
  truthInput: Matrix<Float64Array>,
  options: DecodingErrorOptions = {},
): DecodingError {
  checkOptionNames('decodingError', options, ['minSpeed']);
  const minSpeed = checkNumber('minSpeed', options.minSpeed ?? 4, { min: 0 });
  const decoded = positionMatrix('decoded', decodedInput);
  const truth = positionMatrix('truth', truthInput);
  checkTimes('times', times, decoded.rows);
  checkTimes('truthTimes', truthTimes, truth.rows);
  if (decoded.cols !== truth.cols)
    throw new ParameterError('decoded', `${truth.cols} column(s), as the true position`, `${decoded.cols} columns`);
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
    speed[i] = Math.sqrt(s) / (truthTimes[b] - truthTimes[a]);
  }
  const at = interpolatePosition(truthTimes, truth, times);
  const sp = interpolatePosition(truthTimes, { data: speed, rows: speed.length, cols: 1 }, times).data;
  const errors = new Float64Array(times.length);
  const all: number[] = [],
    running: number[] = [];
  for (let t = 0; t < times.length; t++) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const v = decoded.data[t * d + k] - at.data[t * d + k];
      s += v * v;
    }
    errors[t] = Math.sqrt(s);
    if (!Number.isFinite(errors[t])) continue;
    all.push(errors[t]);
    if (sp[t] > minSpeed) running.push(errors[t]);
  }
  return {
    median: median(all),
    mean: meanOf(all),
    medianRunning: median(running),
    meanRunning: meanOf(running),
    n: all.length,
    nRunning: running.length,
    errors,
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

/** One time (s) per row of its matrix. */
function checkTimes(name: string, times: unknown, rows: number): void {
  if (!(times instanceof Float64Array)) throw new ParameterError(name, 'a Float64Array of times (s)', times);
  if (times.length !== rows) throw new ParameterError(name, `one time per row (${rows})`, `${times.length} times`);
}

function meanOf(v: number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}
