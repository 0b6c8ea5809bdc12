// PCA projection: out[i, c] = sum_j x[i, j] * comp[c, j] - bias[c], with x n x d float32 rows,
// comp k x d float32 (row-major) and bias[c] = mean . comp[c] (float32). Four lanes of j at a
// time (f32x4); one spike's row stays in cache while every component runs over it.

export function projectFeatures(x: usize, n: i32, d: i32, comp: usize, k: i32, bias: usize, out: usize): void {
  const quads = d >> 2;
  for (let i = 0; i < n; i++) {
    const row = x + (<usize>i * <usize>d << 2);
    for (let c = 0; c < k; c++) {
      const w = comp + (<usize>c * <usize>d << 2);
      let acc = f32x4.splat(0);
      for (let q = 0; q < quads; q++) {
        const o = <usize>q << 4;
        acc = f32x4.add(acc, f32x4.mul(v128.load(row + o), v128.load(w + o)));
      }
      let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      for (let j = quads << 2; j < d; j++) s += load<f32>(row + (<usize>j << 2)) * load<f32>(w + (<usize>j << 2));
      store<f32>(out + ((<usize>i * <usize>k + <usize>c) << 2), s - load<f32>(bias + (<usize>c << 2)));
    }
  }
}
