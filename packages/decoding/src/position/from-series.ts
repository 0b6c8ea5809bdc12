import { ParameterError } from '@spyglass-wasm/core';
import { type PositionOptions, type ProcessedPosition, processPosition } from './process-position.js';

/** One SpatialSeries: times and rows × cols samples (row-major), 2 columns (x, y) or 4 (x1, y1, x2, y2). */
export interface PositionSeries extends PositionOptions {
  times: Float64Array;
  data: ArrayLike<number>;
  cols: number;
}

/**
 * processPosition for the common case of one SpatialSeries: 2 columns are one LED, 4 are two
 * (LED 1's x, y then LED 2's, as Trodes writes them). Units as processPosition (`unit`, and
 * `pixelsPerCm` or `cmPerPixel` for pixels); nwb-io's SpatialSeries `data` is in its `unit`
 * (usually 'meters') after NWB's conversion.
 *
 * @example
 * const s = nwb.position()[0];
 * const p = positionFromSeries({ times: s.timestamps, data: s.data.data, cols: s.data.cols, unit: 'm' });
 */
export function positionFromSeries(series: PositionSeries): ProcessedPosition {
  const { times, data, cols, ...options } = series;
  if (!(times instanceof Float64Array)) throw new ParameterError('times', 'a Float64Array of sample times (s)', times);
  if (cols !== 2 && cols !== 4) throw new ParameterError('cols', '2 (x, y of one LED) or 4 (x1, y1, x2, y2)', cols);
  const n = times.length;
  if (!data || data.length !== n * cols)
    throw new ParameterError(
      'data',
      `${n} rows (one per time) × ${cols} columns`,
      data ? `${data.length} values` : undefined,
    );
  const led = (c0: number) => {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      out[2 * i] = data[i * cols + c0];
      out[2 * i + 1] = data[i * cols + c0 + 1];
    }
    return { data: out, rows: n, cols: 2 };
  };
  return processPosition({ times, led1: led(0), led2: cols === 4 ? led(2) : undefined }, options);
}
