// Template matching's subtraction: r[q, c] −= scale · template(k0 + q + f, c) for `rows` rows of C
// channels, the template moved by a fraction f of a sample (Catmull-Rom; f = 0: the samples
// themselves). Two channels per f64x2; each value is computed in float64 with the operations of
// the JavaScript `catmullRom` in its order and rounded to float32 once, as a Float32Array store
// did, so the residual is the same to the bit.

/** `r`: rows × C float32 (in place); `t`: the template's row k0 (rows k0 − 1 … k0 + rows + 1 are read). */
export function subtractRows(r: usize, t: usize, rows: i32, C: i32, f: f64, scale: f64): void {
  const n = rows * C;
  const step = <usize>C << 2;
  const vs = f64x2.splat(scale), vf = f64x2.splat(f), half = f64x2.splat(0.5 * f);
  const two = f64x2.splat(2), three = f64x2.splat(3), four = f64x2.splat(4), five = f64x2.splat(5);
  let j = 0;
  if (f == 0) {
    for (; j + 1 < n; j += 2) {
      const at = r + (<usize>j << 2);
      const v = f64x2.sub(pair(at), f64x2.mul(vs, pair(t + (<usize>j << 2))));
      v128.store64_lane(at, f32x4.demote_f64x2_zero(v), 0);
    }
    for (; j < n; j++) {
      const at = r + (<usize>j << 2);
      store<f32>(at, <f32>(<f64>load<f32>(at) - scale * <f64>load<f32>(t + (<usize>j << 2))));
    }
    return;
  }
  for (; j + 1 < n; j += 2) {
    const a = t + (<usize>j << 2);
    const p0 = pair(a - step), p1 = pair(a), p2 = pair(a + step), p3 = pair(a + 2 * step);
    // p1 + 0.5·f·(p2 − p0 + f·(2·p0 − 5·p1 + 4·p2 − p3 + f·(3·(p1 − p2) + p3 − p0)))
    const inner = f64x2.sub(f64x2.add(f64x2.mul(three, f64x2.sub(p1, p2)), p3), p0);
    const mid = f64x2.add(
      f64x2.sub(f64x2.add(f64x2.sub(f64x2.mul(two, p0), f64x2.mul(five, p1)), f64x2.mul(four, p2)), p3),
      f64x2.mul(vf, inner),
    );
    const outer = f64x2.add(f64x2.sub(p2, p0), f64x2.mul(vf, mid));
    const value = f64x2.add(p1, f64x2.mul(half, outer));
    const at = r + (<usize>j << 2);
    v128.store64_lane(at, f32x4.demote_f64x2_zero(f64x2.sub(pair(at), f64x2.mul(vs, value))), 0);
  }
  for (; j < n; j++) {
    const a = t + (<usize>j << 2);
    const p0 = <f64>load<f32>(a - step), p1 = <f64>load<f32>(a), p2 = <f64>load<f32>(a + step), p3 = <f64>load<f32>(a + 2 * step);
    const value = p1 + 0.5 * f * (p2 - p0 + f * (2 * p0 - 5 * p1 + 4 * p2 - p3 + f * (3 * (p1 - p2) + p3 - p0)));
    const at = r + (<usize>j << 2);
    store<f32>(at, <f32>(<f64>load<f32>(at) - scale * value));
  }
}

/** Two consecutive float32 as float64. */
// @ts-ignore: decorator
@inline
function pair(at: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(at));
}
