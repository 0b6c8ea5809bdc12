import type { FloatArray } from '@spyglass-wasm/core';

export type PadType = 'odd' | 'even' | 'constant';

/**
 * Writes x (rows × cols) into out ((rows + 2·edge) × cols) with `edge` rows of extension on each
 * side, as scipy's odd_ext / even_ext / const_ext along axis 0.
 */
export function padRows(x: FloatArray, rows: number, cols: number, edge: number, type: PadType, out: FloatArray): void {
  out.set(x.subarray(0, rows * cols), edge * cols);
  for (let c = 0; c < cols; c++) {
    const first = x[c];
    const last = x[(rows - 1) * cols + c];
    for (let i = 1; i <= edge; i++) {
      const left = x[i * cols + c]; // mirror of row i about row 0
      const right = x[(rows - 1 - i) * cols + c];
      const li = (edge - i) * cols + c;
      const ri = (edge + rows - 1 + i) * cols + c;
      if (type === 'odd') {
        out[li] = 2 * first - left;
        out[ri] = 2 * last - right;
      } else if (type === 'even') {
        out[li] = left;
        out[ri] = right;
      } else {
        out[li] = first;
        out[ri] = last;
      }
    }
  }
}
