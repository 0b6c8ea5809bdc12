// Covariance accumulation for PCA: cov[a, b] += (x[i, a] - mean[a]) (x[i, b] - mean[b]) for b >= a
// (upper triangle, float64), over n float32 rows of d. The centred rows are kept in float64
// scratch (4 d doubles at `row`); the inner loop runs two b at a time (f64x2). Four rows go into
// each pass over the matrix, added one after the other to each entry, so the matrix is read and
// written a quarter as often and every entry still sums in row order (the same bits as one row at
// a time). A row whose centred value at a is 0 adds nothing to row a of the matrix, as before.

export function accumulateCovariance(x: usize, n: i32, d: i32, mean: usize, row: usize, cov: usize): void {
  const stride = <usize>d << 3;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    for (let r = 0; r < 4; r++) centre(x, i + r, d, mean, row + <usize>r * stride);
    const q0 = row, q1 = row + stride, q2 = q1 + stride, q3 = q2 + stride;
    for (let a = 0; a < d; a++) {
      const oa = <usize>a << 3;
      const ra0 = load<f64>(q0 + oa), ra1 = load<f64>(q1 + oa), ra2 = load<f64>(q2 + oa), ra3 = load<f64>(q3 + oa);
      const base = cov + <usize>a * stride;
      if (ra0 == 0 || ra1 == 0 || ra2 == 0 || ra3 == 0) {
        for (let r = 0; r < 4; r++) addRow(base, row + <usize>r * stride, a, d);
        continue;
      }
      const v0 = f64x2.splat(ra0), v1 = f64x2.splat(ra1), v2 = f64x2.splat(ra2), v3 = f64x2.splat(ra3);
      let b = a;
      for (; b + 1 < d; b += 2) {
        const o = <usize>b << 3;
        let s = v128.load(base + o);
        s = f64x2.add(s, f64x2.mul(v0, v128.load(q0 + o)));
        s = f64x2.add(s, f64x2.mul(v1, v128.load(q1 + o)));
        s = f64x2.add(s, f64x2.mul(v2, v128.load(q2 + o)));
        s = f64x2.add(s, f64x2.mul(v3, v128.load(q3 + o)));
        v128.store(base + o, s);
      }
      if (b < d) {
        const o = <usize>b << 3;
        let s = load<f64>(base + o);
        s += ra0 * load<f64>(q0 + o);
        s += ra1 * load<f64>(q1 + o);
        s += ra2 * load<f64>(q2 + o);
        s += ra3 * load<f64>(q3 + o);
        store<f64>(base + o, s);
      }
    }
  }
  for (; i < n; i++) {
    centre(x, i, d, mean, row);
    for (let a = 0; a < d; a++) addRow(cov + <usize>a * stride, row, a, d);
  }
}

/** out[j] = x[i, j] - mean[j] in float64. */
// @ts-ignore: decorator
@inline
function centre(x: usize, i: i32, d: i32, mean: usize, out: usize): void {
  const src = x + (<usize>i * <usize>d << 2);
  for (let j = 0; j < d; j++) store<f64>(out + (<usize>j << 3), <f64>load<f32>(src + (<usize>j << 2)) - load<f64>(mean + (<usize>j << 3)));
}

/** One centred row's contribution to row a of the matrix (b >= a), skipped when its value at a is 0. */
// @ts-ignore: decorator
@inline
function addRow(base: usize, q: usize, a: i32, d: i32): void {
  const ra = load<f64>(q + (<usize>a << 3));
  if (ra == 0) return;
  const va = f64x2.splat(ra);
  let b = a;
  for (; b + 1 < d; b += 2) {
    const o = <usize>b << 3;
    v128.store(base + o, f64x2.add(v128.load(base + o), f64x2.mul(va, v128.load(q + o))));
  }
  if (b < d) store<f64>(base + (<usize>b << 3), load<f64>(base + (<usize>b << 3)) + ra * load<f64>(q + (<usize>b << 3)));
}
