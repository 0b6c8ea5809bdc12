import {
  ParameterError,
  checkNumber,
  gaussianFilter1d,
  interpolate,
  toMatrix,
  type FloatArray,
  type MatrixInput,
} from '@spyglass-wasm/core';

export interface SpeedOptions {
  /** Gaussian σ of the velocity smoothing, seconds (default 0.1, Spyglass's speed_smoothing_std_dev). */
  sigma?: number;
  /** Multiply positions by this first, e.g. 100 for metres → cm/s (default 1). */
  scale?: number;
}

/**
 * Speed from position (time × 1–3 dims): velocity by first differences, each component smoothed
 * (Gaussian σ, position_tools' get_velocity), then its norm. Smoothing the velocity rather than
 * the speed lets camera jitter cancel instead of adding up to a false "running" speed.
 *
 * @example
 * const speed = speedFromPosition(xyMetres, posTimes, { scale: 100 }); // cm/s
 */
export function speedFromPosition<T extends FloatArray>(
  position: MatrixInput<T>,
  time: ArrayLike<number>,
  options: SpeedOptions = {},
): Float64Array {
  const m = toMatrix(position, 'position');
  const sigma = checkNumber('sigma', options.sigma ?? 0.1, { min: 0 });
  const scale = checkNumber('scale', options.scale ?? 1, {});
  if (time.length !== m.rows)
    throw new ParameterError('time', `one time per position sample (${m.rows})`, `${time.length} times`);
  if (m.rows < 2) return new Float64Array(m.rows);
  const fs = (m.rows - 1) / (time[m.rows - 1] - time[0]);
  const sq = new Float64Array(m.rows);
  const v = new Float64Array(m.rows);
  for (let c = 0; c < m.cols; c++) {
    for (let r = 1; r < m.rows; r++)
      v[r] = ((m.data[r * m.cols + c] - m.data[(r - 1) * m.cols + c]) * scale) / (time[r] - time[r - 1]);
    v[0] = v[1];
    const s = gaussianFilter1d(v, sigma * fs, { truncate: 8, mode: 'nearest' });
    for (let r = 0; r < m.rows; r++) sq[r] += s[r] * s[r];
  }
  return sq.map(Math.sqrt);
}

/**
 * Linear interpolation of `values` sampled at `time` onto `newTime` (held at the ends), as
 * Spyglass interpolates position onto LFP timestamps before ripple detection.
 */
export function interpolateToTimes(
  values: ArrayLike<number>,
  time: ArrayLike<number>,
  newTime: ArrayLike<number>,
): Float64Array {
  if (values.length !== time.length || time.length === 0)
    throw new ParameterError('time', `one time per value (${values.length})`, `${time.length} times`);
  return interpolate(time, values, newTime);
}
