// Whitening of row-major f32 blocks (rows × n channels) with f64 arithmetic, for whiten() in
// src/referencing/whiten.ts. Every sum is taken in the plain loop's order (the JS loops there), so
// the results are the same bits; SIMD only works on several outputs side by side.
// d: n f64 scratch (one row minus the channel means).

/** d[i] = x[i] − mean[i] for one row of n f32 values. */
@inline function centreRow(xr: usize, n: i32, mean: usize, d: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i;
    store<f64>(d + (o << 3), <f64>load<f32>(xr + (o << 2)) - load<f64>(mean + (o << 3)));
  }
}

/**
 * y[r · n + j] = Σ_i (x[r · n + i] − mean[i]) · W[i · n + j], each sum over i in order from 0 in
 * f64, rounded to f32 once: four outputs at a time in two f64x2, then two, then one.
 */
export function whitenRowsF32(x: usize, rows: i32, n: i32, mean: usize, W: usize, d: usize, y: usize): void {
  const stride = <usize>n << 3;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>r * <usize>n) << 2),
      yr = y + ((<usize>r * <usize>n) << 2);
    centreRow(xr, n, mean, d);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s0 = f64x2.splat(0),
        s1 = f64x2.splat(0);
      let w = W + (<usize>j << 3);
      for (let i = 0; i < n; i++, w += stride) {
        const v = v128.load64_splat(d + (<usize>i << 3));
        s0 = f64x2.add(s0, f64x2.mul(v, v128.load(w)));
        s1 = f64x2.add(s1, f64x2.mul(v, v128.load(w, 16)));
      }
      const o = yr + (<usize>j << 2);
      store<f32>(o, <f32>f64x2.extract_lane(s0, 0));
      store<f32>(o, <f32>f64x2.extract_lane(s0, 1), 4);
      store<f32>(o, <f32>f64x2.extract_lane(s1, 0), 8);
      store<f32>(o, <f32>f64x2.extract_lane(s1, 1), 12);
    }
    for (; j + 2 <= n; j += 2) {
      let s = f64x2.splat(0);
      let w = W + (<usize>j << 3);
      for (let i = 0; i < n; i++, w += stride) s = f64x2.add(s, f64x2.mul(v128.load64_splat(d + (<usize>i << 3)), v128.load(w)));
      const o = yr + (<usize>j << 2);
      store<f32>(o, <f32>f64x2.extract_lane(s, 0));
      store<f32>(o, <f32>f64x2.extract_lane(s, 1), 4);
    }
    if (j < n) {
      let s: f64 = 0;
      let w = W + (<usize>j << 3);
      for (let i = 0; i < n; i++, w += stride) s += load<f64>(d + (<usize>i << 3)) * load<f64>(w);
      store<f32>(yr + (<usize>j << 2), <f32>s);
    }
  }
}

/**
 * cov[i · n + j] += (x[r · n + i] − mean[i]) · (x[r · n + j] − mean[j]) for j ≥ i over the rows whose
 * values are all finite, row by row (each sum in row order); returns how many rows that was.
 */
export function covarianceRowsF32(x: usize, rows: i32, n: i32, mean: usize, d: usize, cov: usize): i32 {
  let used = 0;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize>r * <usize>n) << 2);
    let finite = true;
    for (let c = 0; c < n; c++) {
      const v = load<f32>(xr + (<usize>c << 2));
      if (!(v - v == 0)) finite = false;
    }
    if (!finite) continue;
    used++;
    centreRow(xr, n, mean, d);
    for (let i = 0; i < n; i++) {
      const di = load<f64>(d + (<usize>i << 3));
      const v = f64x2.splat(di);
      let p = cov + ((<usize>i * <usize>n + <usize>i) << 3),
        q = d + (<usize>i << 3);
      let j = i;
      for (; j + 2 <= n; j += 2, p += 16, q += 16) v128.store(p, f64x2.add(v128.load(p), f64x2.mul(v, v128.load(q))));
      if (j < n) store<f64>(p, load<f64>(p) + di * load<f64>(q));
    }
  }
  return used;
}
