import { ParameterError, checkNumber, checkOptionNames } from '@spyglass-wasm/core';

/** Decoding time bins: [start + i·binSize, start + (i+1)·binSize) for i < nTime. */
export interface TimeBins {
  start: number;
  binSize: number;
  nTime: number;
}

/**
 * Time bins covering [start, stop) with `binSize` seconds (default 2 ms).
 *
 * @example
 * makeTimeBins(600, 900, { binSize: 0.004 }); // { start: 600, binSize: 0.004, nTime: 75000 }
 */
export function makeTimeBins(start: number, stop: number, options: { binSize?: number } = {}): TimeBins {
  checkOptionNames('makeTimeBins', options, ['binSize']);
  const binSize = checkNumber('binSize', options.binSize ?? 0.002, { min: 1e-6 });
  if (!(Number.isFinite(start) && Number.isFinite(stop) && stop > start))
    throw new ParameterError('stop', `a finite time after start (${start})`, stop);
  return { start, binSize, nTime: Math.max(0, Math.floor((stop - start) / binSize + 1e-9)) };
}

/** Centre time of every bin. */
export function binCenters(bins: TimeBins): Float64Array {
  return Float64Array.from({ length: bins.nTime }, (_, i) => bins.start + (i + 0.5) * bins.binSize);
}

/** Bin index of each spike (-1 outside). */
export function spikeBins(times: ArrayLike<number>, bins: TimeBins): Int32Array {
  const out = new Int32Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const k = Math.floor((times[i] - bins.start) / bins.binSize);
    out[i] = k >= 0 && k < bins.nTime ? k : -1;
  }
  return out;
}
