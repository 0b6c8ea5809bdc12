// Template matching's correlations: every unit's whitened template against a window of the
// residual at consecutive sample shifts, out[u, s] = Σ_j window[s·C + j] · template_u[j]. Two
// units share each f64x2 (their templates interleaved, `pairs`); each lane sums its products in j
// order in float64, as the JavaScript loop did, so the values are the same to the bit.

/**
 * `window`: (shifts − 1)·C + dim float32 samples of the residual; `pairs`: npairs × dim f64x2
 * (units 2p and 2p + 1, zero for a missing one); `scratch`: room for the window as float64;
 * `out`: npairs · 2 × shifts float64.
 */
export function correlateUnits(
  window: usize,
  C: i32,
  shifts: i32,
  pairs: usize,
  npairs: i32,
  dim: i32,
  scratch: usize,
  out: usize,
): void {
  const len = (shifts - 1) * C + dim;
  for (let j = 0; j < len; j++) store<f64>(scratch + (<usize>j << 3), <f64>load<f32>(window + (<usize>j << 2)));
  const stride = <usize>C << 3;
  for (let p = 0; p < npairs; p++) {
    const t = pairs + (<usize>p * <usize>dim << 4);
    const o = out + (<usize>(2 * p) * <usize>shifts << 3),
      o1 = o + (<usize>shifts << 3);
    let s = 0;
    if (shifts == 7) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let a4 = f64x2.splat(0), a5 = f64x2.splat(0), a6 = f64x2.splat(0);
      for (let j = 0; j < dim; j++) {
        const v = v128.load(t + (<usize>j << 4));
        const w = scratch + (<usize>j << 3);
        a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(w), v));
        a1 = f64x2.add(a1, f64x2.mul(v128.load64_splat(w + stride), v));
        a2 = f64x2.add(a2, f64x2.mul(v128.load64_splat(w + 2 * stride), v));
        a3 = f64x2.add(a3, f64x2.mul(v128.load64_splat(w + 3 * stride), v));
        a4 = f64x2.add(a4, f64x2.mul(v128.load64_splat(w + 4 * stride), v));
        a5 = f64x2.add(a5, f64x2.mul(v128.load64_splat(w + 5 * stride), v));
        a6 = f64x2.add(a6, f64x2.mul(v128.load64_splat(w + 6 * stride), v));
      }
      put(o, o1, 0, a0);
      put(o, o1, 1, a1);
      put(o, o1, 2, a2);
      put(o, o1, 3, a3);
      put(o, o1, 4, a4);
      put(o, o1, 5, a5);
      put(o, o1, 6, a6);
      s = 7;
    }
    for (; s < shifts; s++) {
      let a = f64x2.splat(0);
      const w = scratch + <usize>s * stride;
      for (let j = 0; j < dim; j++)
        a = f64x2.add(a, f64x2.mul(v128.load64_splat(w + (<usize>j << 3)), v128.load(t + (<usize>j << 4))));
      put(o, o1, s, a);
    }
  }
}

/** Lane 0 to the first unit's row of out, lane 1 to the second's. */
// @ts-ignore: decorator
@inline
function put(o: usize, o1: usize, s: i32, a: v128): void {
  store<f64>(o + (<usize>s << 3), f64x2.extract_lane(a, 0));
  store<f64>(o1 + (<usize>s << 3), f64x2.extract_lane(a, 1));
}
