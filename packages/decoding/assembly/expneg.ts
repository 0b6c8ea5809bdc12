// exp(-x) for x >= 0 without the libm call: exp(-x) = 2^-k * e^r with r in [-ln2/2, ln2/2] and e^r
// from its degree-8 Taylor polynomial. Relative error <= |r|^9/9! * e^|r| <= 3e-10 (+ rounding;
// tested < 5e-10), far below the other approximations of a decoder (binning, kernel bandwidths).

const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 0.6931471803691238; // ln2 split in two so k*ln2 is exact for |k| < 2^20
const LN2_LO: f64 = 1.9082149292705877e-10;

// @ts-ignore: decorator
@inline
export function expNeg(x: f64): f64 {
  if (x > 708.0) return 0.0; // exp(-708) = 3.3e-308, the edge of normal doubles
  const k = Math.floor(x * LOG2E + 0.5);
  const r = k * LN2_HI - x + k * LN2_LO; // = -x + k ln2, |r| <= ln2/2
  let p = 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2^-k built in the exponent bits (k <= 1022 here, so no subnormals needed).
  const scale = reinterpret<f64>((<i64>(1023 - <i32>k)) << 52);
  return p * scale;
}

/** out[i] = exp(-x[i]) for n values (tests hold it against Math.exp). */
export function expNegKernel(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    store<f64>(out + (<usize>i << 3), expNeg(load<f64>(x + (<usize>i << 3))));
  }
}

/** expNeg on two lanes (same polynomial, same error); lanes with x > 708 give 0. */
// @ts-ignore: decorator
@inline
export function expNeg2(x: v128): v128 {
  const big = f64x2.gt(x, f64x2.splat(708.0));
  const xc = f64x2.min(x, f64x2.splat(708.0));
  const k = f64x2.floor(f64x2.add(f64x2.mul(xc, f64x2.splat(LOG2E)), f64x2.splat(0.5)));
  const r = f64x2.add(f64x2.sub(f64x2.mul(k, f64x2.splat(LN2_HI)), xc), f64x2.mul(k, f64x2.splat(LN2_LO)));
  let p = f64x2.splat(1.0 / 40320.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const scale = i64x2.shl(i64x2.sub(i64x2.splat(1023), ki), 52);
  return v128.andnot(f64x2.mul(p, scale), big);
}

/** out[i] = exp(-x[i]) two lanes at a time (n even; tests hold it against Math.exp). */
export function expNeg2Kernel(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) v128.store(out + (<usize>i << 3), expNeg2(v128.load(x + (<usize>i << 3))));
}
