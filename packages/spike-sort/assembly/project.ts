// PCA projection: out[i, c] = sum_j x[i, j] * comp[c, j] - bias[c], with x n x d float32 rows,
// comp k x d float32 (row-major) and bias[c] = mean . comp[c] (float32). Four lanes of j at a
// time (f32x4). Two rows and four components run together (eight independent accumulators share
// each load), so the adds do not wait on one another; every output still sums its products in the
// same order as the one-at-a-time loop (`projectOne`), so the results are the same to the bit.

export function projectFeatures(x: usize, n: i32, d: i32, comp: usize, k: i32, bias: usize, out: usize): void {
  const quads = d >> 2;
  const k4 = k & ~3;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = x + (<usize>i * <usize>d << 2), r1 = r0 + (<usize>d << 2);
    for (let c = 0; c < k4; c += 4) {
      const w0 = comp + (<usize>c * <usize>d << 2), w1 = w0 + (<usize>d << 2), w2 = w1 + (<usize>d << 2), w3 = w2 + (<usize>d << 2);
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0), a03 = f32x4.splat(0);
      let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0), a13 = f32x4.splat(0);
      for (let q = 0; q < quads; q++) {
        const o = <usize>q << 4;
        const x0 = v128.load(r0 + o), x1 = v128.load(r1 + o);
        const v0 = v128.load(w0 + o), v1 = v128.load(w1 + o), v2 = v128.load(w2 + o), v3 = v128.load(w3 + o);
        a00 = f32x4.add(a00, f32x4.mul(x0, v0));
        a01 = f32x4.add(a01, f32x4.mul(x0, v1));
        a02 = f32x4.add(a02, f32x4.mul(x0, v2));
        a03 = f32x4.add(a03, f32x4.mul(x0, v3));
        a10 = f32x4.add(a10, f32x4.mul(x1, v0));
        a11 = f32x4.add(a11, f32x4.mul(x1, v1));
        a12 = f32x4.add(a12, f32x4.mul(x1, v2));
        a13 = f32x4.add(a13, f32x4.mul(x1, v3));
      }
      finish(a00, r0, w0, d, quads, out, i, k, c, bias);
      finish(a01, r0, w1, d, quads, out, i, k, c + 1, bias);
      finish(a02, r0, w2, d, quads, out, i, k, c + 2, bias);
      finish(a03, r0, w3, d, quads, out, i, k, c + 3, bias);
      finish(a10, r1, w0, d, quads, out, i + 1, k, c, bias);
      finish(a11, r1, w1, d, quads, out, i + 1, k, c + 1, bias);
      finish(a12, r1, w2, d, quads, out, i + 1, k, c + 2, bias);
      finish(a13, r1, w3, d, quads, out, i + 1, k, c + 3, bias);
    }
    for (let c = k4; c < k; c++) {
      projectOne(r0, comp, d, quads, out, i, k, c, bias);
      projectOne(r1, comp, d, quads, out, i + 1, k, c, bias);
    }
  }
  if (i < n) {
    const r0 = x + (<usize>i * <usize>d << 2);
    for (let c = 0; c < k; c++) projectOne(r0, comp, d, quads, out, i, k, c, bias);
  }
}

/** One row against one component: the plain loop every blocked output reproduces. */
// @ts-ignore: decorator
@inline
function projectOne(row: usize, comp: usize, d: i32, quads: i32, out: usize, i: i32, k: i32, c: i32, bias: usize): void {
  const w = comp + (<usize>c * <usize>d << 2);
  let acc = f32x4.splat(0);
  for (let q = 0; q < quads; q++) {
    const o = <usize>q << 4;
    acc = f32x4.add(acc, f32x4.mul(v128.load(row + o), v128.load(w + o)));
  }
  finish(acc, row, w, d, quads, out, i, k, c, bias);
}

/** Lanes summed in order 0..3, then the d mod 4 leftover products, minus the bias. */
// @ts-ignore: decorator
@inline
function finish(acc: v128, row: usize, w: usize, d: i32, quads: i32, out: usize, i: i32, k: i32, c: i32, bias: usize): void {
  let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (let j = quads << 2; j < d; j++) s += load<f32>(row + (<usize>j << 2)) * load<f32>(w + (<usize>j << 2));
  store<f32>(out + ((<usize>i * <usize>k + <usize>c) << 2), s - load<f32>(bias + (<usize>c << 2)));
}
