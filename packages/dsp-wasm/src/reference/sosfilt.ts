/**
 * Plain TypeScript reference of the sosfilt kernel (transposed direct form II), in place on a
 * row-major (rows × cols) matrix; zi (nsec × cols × 2) is updated.
 */
export function sosfiltReference(sos: Float64Array, x: Float64Array, rows: number, cols: number, zi: Float64Array): void {
  const nsec = sos.length / 6;
  for (let s = 0; s < nsec; s++) {
    const b0 = sos[s * 6], b1 = sos[s * 6 + 1], b2 = sos[s * 6 + 2], a1 = sos[s * 6 + 4], a2 = sos[s * 6 + 5];
    for (let ch = 0; ch < cols; ch++) {
      let z0 = zi[(s * cols + ch) * 2];
      let z1 = zi[(s * cols + ch) * 2 + 1];
      for (let r = 0; r < rows; r++) {
        const xi = x[r * cols + ch];
        const yi = b0 * xi + z0;
        z0 = b1 * xi - a1 * yi + z1;
        z1 = b2 * xi - a2 * yi;
        x[r * cols + ch] = yi;
      }
      zi[(s * cols + ch) * 2] = z0;
      zi[(s * cols + ch) * 2 + 1] = z1;
    }
  }
}
