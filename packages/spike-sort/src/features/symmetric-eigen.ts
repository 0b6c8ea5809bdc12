/**
 * Eigenvalues and eigenvectors of a small symmetric m × m matrix (row-major) by cyclic Jacobi
 * rotations, sorted by decreasing eigenvalue; vectors are the rows of `vectors`. For the
 * Rayleigh–Ritz step of PCA (m ≈ 16), where accuracy matters more than speed.
 *
 * @example
 * symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values; // [3, 1]
 */
export function symmetricEigen(matrix: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, total = 0;
    for (let p = 0; p < m; p++)
      for (let q = 0; q < m; q++) {
        total += a[p * m + q] ** 2;
        if (p !== q) off += a[p * m + q] ** 2;
      }
    if (off <= 1e-30 * total) break;
    for (let p = 0; p < m - 1; p++)
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q];
        if (apq === 0) continue;
        // the rotation that zeroes a[p][q] (Golub & Van Loan, sym.schur2)
        const tau = (a[q * m + q] - a[p * m + p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p], akq = a[k * m + q];
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k], aqk = a[q * m + k];
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p], vkq = v[k * m + q];
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => a[j * m + j] - a[i * m + i]);
  const values = Float64Array.from(order, (i) => a[i * m + i]);
  // column i of v is the eigenvector of a[i][i]; return them as rows
  const vectors = new Float64Array(m * m);
  order.forEach((i, r) => {
    for (let k = 0; k < m; k++) vectors[r * m + k] = v[k * m + i];
  });
  return { values, vectors };
}
