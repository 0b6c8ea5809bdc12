import { type FloatArray, type MatrixInput } from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { medianInPlace } from '@spyglass-wasm/core';

/**
 * Robust noise level per channel: median(|x − median(x)|) / 0.6745, the standard deviation of
 * Gaussian noise that spikes barely move (the unit of spike-detection thresholds). NaN samples
 * are ignored (scipy.stats.median_abs_deviation(scale='normal', nan_policy='omit')); an all-NaN
 * channel gives NaN.
 *
 * @example
 * const sigma = madNoiseLevel(filtered); // one value per channel
 */
export function madNoiseLevel<T extends FloatArray>(x: MatrixInput<T>): Float64Array {
  const { m } = signalIO(x);
  const out = new Float64Array(m.cols);
  const col = new Float64Array(m.rows);
  for (let c = 0; c < m.cols; c++) {
    let n = 0;
    for (let r = 0; r < m.rows; r++) {
      const v = m.data[r * m.cols + c];
      if (!Number.isNaN(v)) col[n++] = v;
    }
    const med = medianInPlace(col, n);
    for (let r = 0; r < n; r++) col[r] = Math.abs(col[r] - med);
    out[c] = medianInPlace(col, n) / 0.6744897501960817;
  }
  return out;
}
