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

/**
 * Writes rows [r0, r1) of the extended signal (x with `edge` rows of extension on each side) into
 * `out` starting at out row 0: the same values padRows writes, a block at a time, so a caller can
 * fill and filter one cache-sized block before the next.
 */
export function fillExtendedRows(
  x: FloatArray,
  rows: number,
  cols: number,
  edge: number,
  type: PadType | null,
  out: FloatArray,
  r0: number,
  r1: number,
): void {
  // Rows inside x: one bulk copy.
  const lo = Math.max(r0, edge),
    hi = Math.min(r1, edge + rows);
  if (hi > lo) out.set(x.subarray((lo - edge) * cols, (hi - edge) * cols), (lo - r0) * cols);
  for (let e = r0; e < r1; e++) {
    const i = e - edge; // row of x, or outside it
    if (i >= 0 && i < rows) continue;
    const o = (e - r0) * cols;
    const left = i < 0;
    const k = left ? -i : i - (rows - 1); // distance from the edge row
    const mirror = left ? k : rows - 1 - k;
    const end = left ? 0 : rows - 1;
    for (let c = 0; c < cols; c++) {
      const a = x[end * cols + c];
      out[o + c] = type === 'odd' ? 2 * a - x[mirror * cols + c] : type === 'even' ? x[mirror * cols + c] : a;
    }
  }
}
