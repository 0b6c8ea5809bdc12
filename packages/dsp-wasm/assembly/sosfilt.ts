/**
 * Cascaded second-order sections, transposed direct form II, in place on a (rows × cols) row-major
 * f64 matrix. sos: nsec × 6 (b0 b1 b2 a0 a1 a2, a0 == 1); zi: nsec × cols × 2, updated.
 */
export function sosfiltF64(sos: usize, nsec: i32, x: usize, rows: i32, cols: i32, zi: usize): void {
  for (let s = 0; s < nsec; s++) {
    const c = sos + ((<usize>s * 6) << 3);
    const b0 = load<f64>(c), b1 = load<f64>(c, 8), b2 = load<f64>(c, 16);
    const a1 = load<f64>(c, 32), a2 = load<f64>(c, 40);
    for (let ch = 0; ch < cols; ch++) {
      const z = zi + ((<usize>s * cols + ch) << 4);
      let z0 = load<f64>(z), z1 = load<f64>(z, 8);
      let p = x + (<usize>ch << 3);
      const step = <usize>cols << 3;
      for (let r = 0; r < rows; r++) {
        const xi = load<f64>(p);
        const yi = b0 * xi + z0;
        z0 = b1 * xi - a1 * yi + z1;
        z1 = b2 * xi - a2 * yi;
        store<f64>(p, yi);
        p += step;
      }
      store<f64>(z, z0);
      store<f64>(z, z1, 8);
    }
  }
}
