import type { Matrix } from '../array/matrix.js';
import { ParameterError } from '../errors/parameter-error.js';

/**
 * Eigen-decomposition of a small symmetric matrix (n × n) by cyclic Jacobi rotations:
 * exact to rounding for the channel counts of a tetrode or shank, or a PCA's Rayleigh–Ritz step.
 * Returns eigenvalues (in no particular order) and the eigenvectors as the columns of `vectors`
 * (n × n, row-major).
 *
 * @example
 * symmetricEigen({ data: Float64Array.of(2, 1, 1, 2), rows: 2, cols: 2 }).values; // [1, 3]
 */
export function symmetricEigen(a: Matrix<Float64Array>): { values: Float64Array; vectors: Float64Array } {
  const n = a?.rows;
  if (!a || !(a.data instanceof Float64Array) || a.cols !== n || !(a.data.length >= n * n)) {
    throw new ParameterError('a', 'a square {data: Float64Array, rows: n, cols: n} matrix', a);
  }
  const m = a.data.slice(0, n * n);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    // done when what is off the diagonal is rounding next to the whole (at any scale)
    let off = 0,
      diagonal = 0;
    for (let p = 0; p < n; p++) {
      diagonal += m[p * n + p] ** 2;
      for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    }
    if (off <= 1e-32 * diagonal || off < 1e-300) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p],
            mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k],
            mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p],
            vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => m[i * n + i]), vectors: v };
}
