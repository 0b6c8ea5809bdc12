import type { FloatArray } from '@spyglass-wasm/core';
import { paddedCols } from '../filter/sos.js';

/**
 * Plain TypeScript reference of the sosfilt kernel: transposed direct form II, in place on a
 * row-major (rows × cols) matrix, f64 arithmetic, row by row through every section. Same
 * coefficient table and state layout as assembly/sosfilt.ts.
 */
export function sosfiltReference(
  coef: Float64Array,
  nsec: number,
  x: FloatArray,
  rows: number,
  cols: number,
  state: Float64Array,
  reverse: boolean,
): void {
  const cp = paddedCols(cols);
  for (let i = 0; i < rows; i++) {
    const r = reverse ? rows - 1 - i : i;
    for (let ch = 0; ch < cols; ch++) {
      let v = x[r * cols + ch];
      for (let s = 0; s < nsec; s++) {
        const c = s * 10;
        const z0 = (s * 2) * cp + ch, z1 = z0 + cp;
        const y = coef[c] * v + state[z0];
        state[z0] = coef[c + 2] * v - coef[c + 6] * y + state[z1];
        state[z1] = coef[c + 4] * v - coef[c + 8] * y;
        v = y;
      }
      x[r * cols + ch] = v;
    }
  }
}
