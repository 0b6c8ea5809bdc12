// The product in each round of PCA's subspace iteration. `columnsTimes`: w[c, a] = sum_b m[b, a] v[c, b]
// for the k rows of v (k x rows, float64) against a rows x cols matrix m (float64), i.e. w = v m.
// Neighbouring a are neighbouring entries of row b: two f64x2 lanes (four a) by four components per
// pass, eight sums in registers, so each cache line of m is read once per pass and each component
// value once per four a (1.4-2x over two a per pass at 900-1081 columns). Each lane sums its
// products in the order b = 0, 1, ... as the plain loop does, so the results are the same to the bit.
//
// `covarianceTimes` is that against the symmetric d x d covariance (cov v = v cov, both triangles
// filled). With fewer points than dimensions fitPca never forms the covariance: cov v is
// ((v Xcᵀ) Xc), two `columnsTimes` against the centred points Xc and their transpose.

export function covarianceTimes(cov: usize, d: i32, v: usize, k: i32, w: usize): void {
  columnsTimes(cov, d, d, v, k, w);
}

export function columnsTimes(m: usize, rows: i32, cols: i32, v: usize, k: i32, w: usize): void {
  const stride = <usize>cols << 3, vstride = <usize>rows << 3;
  let c = 0;
  for (; c + 3 < k; c += 4) {
    const v0 = v + <usize>c * vstride, v1 = v0 + vstride, v2 = v1 + vstride, v3 = v2 + vstride;
    const w0 = w + <usize>c * stride, w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride;
    let a = 0;
    for (; a + 3 < cols; a += 4) {
      const oa = <usize>a << 3;
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
      let t0 = f64x2.splat(0), t1 = f64x2.splat(0), t2 = f64x2.splat(0), t3 = f64x2.splat(0);
      let p = m + oa;
      for (let b = 0; b < rows; b++) {
        const ob = <usize>b << 3;
        const lo = v128.load(p), hi = v128.load(p, 16);
        p += stride;
        const x0 = v128.load64_splat(v0 + ob), x1 = v128.load64_splat(v1 + ob);
        const x2 = v128.load64_splat(v2 + ob), x3 = v128.load64_splat(v3 + ob);
        s0 = f64x2.add(s0, f64x2.mul(lo, x0));
        s1 = f64x2.add(s1, f64x2.mul(lo, x1));
        s2 = f64x2.add(s2, f64x2.mul(lo, x2));
        s3 = f64x2.add(s3, f64x2.mul(lo, x3));
        t0 = f64x2.add(t0, f64x2.mul(hi, x0));
        t1 = f64x2.add(t1, f64x2.mul(hi, x1));
        t2 = f64x2.add(t2, f64x2.mul(hi, x2));
        t3 = f64x2.add(t3, f64x2.mul(hi, x3));
      }
      v128.store(w0 + oa, s0);
      v128.store(w1 + oa, s1);
      v128.store(w2 + oa, s2);
      v128.store(w3 + oa, s3);
      v128.store(w0 + oa, t0, 16);
      v128.store(w1 + oa, t1, 16);
      v128.store(w2 + oa, t2, 16);
      v128.store(w3 + oa, t3, 16);
    }
    for (; a + 1 < cols; a += 2) {
      const oa = <usize>a << 3;
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
      for (let b = 0; b < rows; b++) {
        const ob = <usize>b << 3;
        const col = v128.load(m + <usize>b * stride + oa);
        s0 = f64x2.add(s0, f64x2.mul(col, f64x2.splat(load<f64>(v0 + ob))));
        s1 = f64x2.add(s1, f64x2.mul(col, f64x2.splat(load<f64>(v1 + ob))));
        s2 = f64x2.add(s2, f64x2.mul(col, f64x2.splat(load<f64>(v2 + ob))));
        s3 = f64x2.add(s3, f64x2.mul(col, f64x2.splat(load<f64>(v3 + ob))));
      }
      v128.store(w0 + oa, s0);
      v128.store(w1 + oa, s1);
      v128.store(w2 + oa, s2);
      v128.store(w3 + oa, s3);
    }
    if (a < cols)
      for (let q = 0; q < 4; q++) timesOne(m, rows, cols, v + <usize>(c + q) * vstride, w + <usize>(c + q) * stride, a);
  }
  for (; c < k; c++) {
    const vc = v + <usize>c * vstride, wc = w + <usize>c * stride;
    let a = 0;
    for (; a + 1 < cols; a += 2) {
      const oa = <usize>a << 3;
      let s = f64x2.splat(0);
      for (let b = 0; b < rows; b++) s = f64x2.add(s, f64x2.mul(v128.load(m + <usize>b * stride + oa), f64x2.splat(load<f64>(vc + (<usize>b << 3)))));
      v128.store(wc + oa, s);
    }
    if (a < cols) timesOne(m, rows, cols, vc, wc, a);
  }
}

/** w[a] = sum_b m[b, a] v[b], one a. */
// @ts-ignore: decorator
@inline
function timesOne(m: usize, rows: i32, cols: i32, v: usize, w: usize, a: i32): void {
  const stride = <usize>cols << 3, oa = <usize>a << 3;
  let s: f64 = 0;
  for (let b = 0; b < rows; b++) s += load<f64>(m + <usize>b * stride + oa) * load<f64>(v + (<usize>b << 3));
  store<f64>(w + oa, s);
}

/**
 * Gram-Schmidt on the k rows of w (k x d, float64), in place, as fitPca's plain loop: each dot
 * product and norm summed in the order j = 0, 1, ... (scalar), the subtractions and the division
 * two j at a time (f64x2, lane by lane the same operations), so the same bits.
 */
export function orthonormalizeRows(w: usize, k: i32, d: i32): void {
  const stride = <usize>d << 3;
  for (let c = 0; c < k; c++) {
    const wc = w + <usize>c * stride;
    for (let p = 0; p < c; p++) {
      const wp = w + <usize>p * stride;
      let dot: f64 = 0;
      for (let j = 0; j < d; j++) dot += load<f64>(wc + (<usize>j << 3)) * load<f64>(wp + (<usize>j << 3));
      const s = f64x2.splat(dot);
      let j = 0;
      for (; j + 1 < d; j += 2) {
        const o = <usize>j << 3;
        v128.store(wc + o, f64x2.sub(v128.load(wc + o), f64x2.mul(s, v128.load(wp + o))));
      }
      if (j < d) store<f64>(wc + (<usize>j << 3), load<f64>(wc + (<usize>j << 3)) - dot * load<f64>(wp + (<usize>j << 3)));
    }
    let norm: f64 = 0;
    for (let j = 0; j < d; j++) {
      const x = load<f64>(wc + (<usize>j << 3));
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm == 0 || isNaN(norm)) norm = 1;
    const s = f64x2.splat(norm);
    let j = 0;
    for (; j + 1 < d; j += 2) v128.store(wc + (<usize>j << 3), f64x2.div(v128.load(wc + (<usize>j << 3)), s));
    if (j < d) store<f64>(wc + (<usize>j << 3), load<f64>(wc + (<usize>j << 3)) / norm);
  }
}
