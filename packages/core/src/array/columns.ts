import type { FloatArray, Matrix } from './matrix.js';

/** Copies columns [start, end) of a row-major matrix into a new contiguous matrix. */
export function takeColumns<T extends FloatArray>(m: Matrix<T>, start: number, end: number): Matrix<T> {
  const k = end - start;
  const Ctor = m.data.constructor as { new (n: number): T };
  const out = new Ctor(m.rows * k);
  for (let r = 0; r < m.rows; r++) out.set(m.data.subarray(r * m.cols + start, r * m.cols + end), r * k);
  return { data: out, rows: m.rows, cols: k };
}

/** Writes `part` into columns [start, start + part.cols) of `m`. */
export function putColumns<T extends FloatArray>(m: Matrix<T>, part: Matrix<FloatArray>, start: number): void {
  for (let r = 0; r < m.rows; r++)
    m.data.set(part.data.subarray(r * part.cols, (r + 1) * part.cols), r * m.cols + start);
}
