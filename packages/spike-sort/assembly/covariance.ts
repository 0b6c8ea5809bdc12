// Covariance accumulation for PCA: cov[a, b] += (x[i, a] - mean[a]) (x[i, b] - mean[b]) for b >= a
// (upper triangle, float64), over n float32 rows of d. The centred row is kept in float64 scratch
// (d doubles at `row`); the inner loop runs two b at a time (f64x2).

export function accumulateCovariance(x: usize, n: i32, d: i32, mean: usize, row: usize, cov: usize): void {
  for (let i = 0; i < n; i++) {
    const src = x + (<usize>i * <usize>d << 2);
    for (let j = 0; j < d; j++) store<f64>(row + (<usize>j << 3), <f64>load<f32>(src + (<usize>j << 2)) - load<f64>(mean + (<usize>j << 3)));
    for (let a = 0; a < d; a++) {
      const ra = load<f64>(row + (<usize>a << 3));
      if (ra == 0) continue;
      const va = f64x2.splat(ra);
      const base = cov + (<usize>a * <usize>d << 3);
      let b = a;
      for (; b + 1 < d; b += 2) {
        const o = <usize>b << 3;
        v128.store(base + o, f64x2.add(v128.load(base + o), f64x2.mul(va, v128.load(row + o))));
      }
      if (b < d) store<f64>(base + (<usize>b << 3), load<f64>(base + (<usize>b << 3)) + ra * load<f64>(row + (<usize>b << 3)));
    }
  }
}
