import { ParameterError, checkNumber, checkOptionNames, type Matrix, hypot } from '@spyglass-wasm/core';

export interface NetSpeedOptions {
  /** Window length (s), > 0. */
  windowSeconds: number;
}

/**
 * Net speed over a centred window: the straight-line distance between the positions at the window's ends
 * over the time between them (the window is clipped at the series' ends). Tracking jitter averages
 * out of a displacement over a second but reads as motion in an instantaneous speed: 2 cm of white
 * jitter at 30 Hz gives 5–8 cm/s at rest after TrodesPosV1's smoothing, above the usual 4 cm/s
 * immobility threshold. NaN where either end is NaN.
 *
 * @param times - sample times (s), increasing
 * @param position - times × 2 (x, y), any unit; the speed is in that unit per second
 * @example
 * netSpeed(Float64Array.of(0, 1, 2), { data: Float64Array.of(0, 0, 1, 0, 2, 0), rows: 3, cols: 2 }, { windowSeconds: 2
 * });
 * // → Float64Array [1, 1, 1]
 */
export function netSpeed(times: Float64Array, position: Matrix<Float64Array>, options: NetSpeedOptions): Float64Array {
  checkOptionNames('netSpeed', options, ['windowSeconds']);
  const w = checkNumber('windowSeconds', options.windowSeconds, { min: 0, max: 3600, exclusiveMin: true });
  const half = w / 2;
  const n = times.length;
  if (position.rows !== n || position.cols < 2)
    throw new ParameterError(
      'position',
      `${n} rows × 2 columns (x, y), one per time`,
      `${position.rows} × ${position.cols}`,
    );
  const { data, cols } = position;
  const tol = 1e-9 * w; // times on a frame grid land on the window's edges up to rounding
  const out = new Float64Array(n);
  let a = 0,
    b = 0;
  for (let i = 0; i < n; i++) {
    while (a < i && times[a] < times[i] - half - tol) a++;
    if (b < i) b = i;
    while (b < n - 1 && times[b + 1] <= times[i] + half + tol) b++;
    const dt = times[b] - times[a];
    out[i] = dt > 0 ? hypot(data[b * cols] - data[a * cols], data[b * cols + 1] - data[a * cols + 1]) / dt : NaN;
  }
  return out;
}
