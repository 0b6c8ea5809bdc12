import { type FloatArray, type MatrixInput } from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { median } from '../lib/median.js';

/**
 * Robust noise level per channel: median(|x − median(x)|) / 0.6745, the standard deviation of
 * Gaussian noise that spikes barely move (the unit of spike-detection thresholds).
 *
 * @example
 * const sigma = madNoiseLevel(filtered); // one value per channel
 */
export function madNoiseLevel<T extends FloatArray>(x: MatrixInput<T>): Float64Array {
  const { m } = signalIO(x);
  const out = new Float64Array(m.cols);
  const col = new Float64Array(m.rows);
  for (let c = 0; c < m.cols; c++) {
    for (let r = 0; r < m.rows; r++) col[r] = m.data[r * m.cols + c];
    const med = median(col);
    for (let r = 0; r < m.rows; r++) col[r] = Math.abs(col[r] - med);
    out[c] = median(col) / 0.6744897501960817;
  }
  return out;
}
