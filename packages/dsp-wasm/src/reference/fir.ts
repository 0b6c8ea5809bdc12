import type { FloatArray } from '@spyglass-wasm/core';
import type { FirRequest } from '../filter/fir-engine.js';

/** Direct-sum reference of the overlap-save FIR kernel: y[n] = Σ_k h[k]·x[n + delay − k]. */
export function firReference<T extends FloatArray>(taps: Float64Array, delay: number, req: FirRequest<T>): T {
  const { x, rows, cols, first, count, q } = req;
  const out = new (x.constructor as { new (n: number): T })(count * cols);
  for (let j = 0; j < count; j++) {
    const n = first + j * q;
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let k = 0; k < taps.length; k++) {
        const i = n + delay - k;
        if (i >= 0 && i < rows) s += taps[k] * x[i * cols + c];
      }
      out[j * cols + c] = s;
    }
  }
  return out;
}
