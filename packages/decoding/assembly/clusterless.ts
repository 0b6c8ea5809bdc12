// Clusterless mark-kernel density (KDE) sums, SIMD f64x2. For decoding spike d and encoding spike e
// (marks of `dim` values):
//   x(d, e) = scale * |m_d - m_e|^2      (scale = 1 / (2 waveform_std^2))
//   acc[d, b] += exp(-(x(d, e) - xmin[d])) * posKernel[e, b]
// xmin[d] is the smallest x over all encoding spikes, so the largest term is exp(0) = 1 and terms
// with x - xmin > cutoff (each < e^-cutoff of the largest) are skipped: the relative error of the
// sum is at most nEnc * e^-cutoff. The caller adds back -xmin in log space.
//
// Encoding marks come transposed (feature-major, encT[j * encStride + e]) so one v128 load holds
// feature j of two encoding spikes: the distance of spikes (e, e + 1) is two lanes summed in the
// reference's order (feature 0 first), so x equals the TypeScript reference's bit for bit, and
// exp is a degree-13 polynomial accurate to a few ulp (the reference uses Math.exp).
// The sum over e is a small matrix product, acc[4 rows × 4 bins] held in registers while e runs,
// in the reference's order (e ascending), so each position-kernel row is read once per 4 spikes.

const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 0.6931471803691238; // ln2 split in two so k*ln2 is exact for |k| < 2^20
const LN2_LO: f64 = 1.9082149292705877e-10;

/** exp(-x) on two lanes, x >= 0, to a few ulp: 2^-k e^r, |r| <= ln2/2, e^r by Taylor to r^13. */
// @ts-ignore: decorator
@inline
function expNegPrecise2(x: v128): v128 {
  const big = f64x2.gt(x, f64x2.splat(708.0));
  const xc = f64x2.min(x, f64x2.splat(708.0));
  const k = f64x2.nearest(f64x2.mul(xc, f64x2.splat(LOG2E)));
  const r = f64x2.add(f64x2.sub(f64x2.mul(k, f64x2.splat(LN2_HI)), xc), f64x2.mul(k, f64x2.splat(LN2_LO)));
  let p = f64x2.splat(1.0 / 6227020800.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  // 2^-k in the exponent bits (0 <= k <= 1022 here: no subnormals)
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const kk = i64x2.shl(i64x2.sub(i64x2.splat(1023), ki), 52);
  return v128.andnot(f64x2.mul(p, kk), big);
}

/** |m_d - m_e|^2 for encoding spikes e and e + 1 (two lanes), features summed in order. */
// @ts-ignore: decorator
@inline
function distance2(a: usize, encT: usize, rowBytes: usize, dim: i32): v128 {
  let s = f64x2.splat(0);
  let q = encT;
  for (let j = 0; j < dim; j++) {
    const v = f64x2.sub(v128.load64_splat(a + (<usize>j << 3)), v128.load(q));
    s = f64x2.add(s, f64x2.mul(v, v));
    q += rowBytes;
  }
  return s;
}

/** The same for one encoding spike (the odd one at the end). */
// @ts-ignore: decorator
@inline
function distance1(a: usize, encT: usize, rowBytes: usize, dim: i32): f64 {
  let s: f64 = 0;
  let q = encT;
  for (let j = 0; j < dim; j++) {
    const v = load<f64>(a + (<usize>j << 3)) - load<f64>(q);
    s += v * v;
    q += rowBytes;
  }
  return s;
}

/** xmin[d] = min(xmin[d], min over encoding spikes e < nEnc of scale * |m_d - m_e|^2). */
export function markMinDistance(
  dec: usize, nDec: i32, encT: usize, nEnc: i32, encStride: i32, dim: i32, scale: f64, xmin: usize,
): void {
  const rowBytes = <usize>encStride << 3;
  const sv = f64x2.splat(scale);
  for (let d = 0; d < nDec; d++) {
    const a = dec + ((<usize>d * dim) << 3);
    let best = f64x2.splat(load<f64>(xmin + (<usize>d << 3)));
    let e = 0;
    for (; e + 2 <= nEnc; e += 2) best = f64x2.pmin(best, f64x2.mul(sv, distance2(a, encT + (<usize>e << 3), rowBytes, dim)));
    let m = min(f64x2.extract_lane(best, 0), f64x2.extract_lane(best, 1));
    if (e < nEnc) m = min(m, scale * distance1(a, encT + (<usize>e << 3), rowBytes, dim));
    store<f64>(xmin + (<usize>d << 3), m);
  }
}

/**
 * Weights of up to four decoding spikes (rows d0 .. d0 + nRows - 1) against encoding spikes
 * [0, nEnc), four to an encoding spike in `w` (missing rows 0), for the encoding spikes where any
 * of the four is within the cutoff; their indices go to `idx`. Returns how many were kept.
 */
function weights4(
  dec: usize, d0: i32, nRows: i32, encT: usize, nEnc: i32, rowBytes: usize, dim: i32, scale: f64,
  xmin: usize, cutoff: f64, w: usize, idx: usize,
): i32 {
  const sv = f64x2.splat(scale);
  const cv = f64x2.splat(cutoff);
  const zero = f64x2.splat(0);
  let kept = 0;
  for (let e = 0; e < nEnc; e += 2) {
    const pair = e + 2 <= nEnc;
    let any = zero;
    // the four rows' weights for (e, e + 1), lanes e and e + 1
    let w0 = zero, w1 = zero, w2 = zero, w3 = zero;
    for (let i = 0; i < nRows; i++) {
      const d = d0 + i;
      const a = dec + ((<usize>d * dim) << 3);
      let x: v128;
      if (pair) x = f64x2.mul(sv, distance2(a, encT + (<usize>e << 3), rowBytes, dim));
      else x = f64x2.splat(scale * distance1(a, encT + (<usize>e << 3), rowBytes, dim));
      x = f64x2.sub(x, v128.load64_splat(xmin + (<usize>d << 3)));
      const inside = f64x2.le(x, cv);
      if (!v128.any_true(inside)) continue; // most pairs: no exp to compute
      const wi = v128.and(expNegPrecise2(f64x2.max(x, zero)), inside);
      any = v128.or(any, inside);
      if (i == 0) w0 = wi;
      else if (i == 1) w1 = wi;
      else if (i == 2) w2 = wi;
      else w3 = wi;
    }
    const lanes = pair ? 2 : 1;
    for (let l = 0; l < lanes; l++) {
      const inside = l == 0 ? i64x2.extract_lane(any, 0) : i64x2.extract_lane(any, 1);
      if (inside == 0) continue;
      const o = w + (<usize>kept << 5);
      if (l == 0) {
        store<f64>(o, f64x2.extract_lane(w0, 0));
        store<f64>(o, f64x2.extract_lane(w1, 0), 8);
        store<f64>(o, f64x2.extract_lane(w2, 0), 16);
        store<f64>(o, f64x2.extract_lane(w3, 0), 24);
      } else {
        store<f64>(o, f64x2.extract_lane(w0, 1));
        store<f64>(o, f64x2.extract_lane(w1, 1), 8);
        store<f64>(o, f64x2.extract_lane(w2, 1), 16);
        store<f64>(o, f64x2.extract_lane(w3, 1), 24);
      }
      store<i32>(idx + (<usize>kept << 2), e + l);
      kept++;
    }
  }
  return kept;
}

/**
 * acc[d, :] += sum_e w(d, e) posKernel[e, :] for four rows (d0 ..), over the kept encoding spikes:
 * 4 rows × 4 bins of accumulators stay in registers while e runs.
 */
function accumulate4(
  w: usize, idx: usize, kept: i32, posKernel: usize, nBins: i32, acc: usize, d0: i32, nRows: i32,
): void {
  const rowBytes = <usize>nBins << 3;
  const r0 = acc + <usize>d0 * rowBytes;
  const r1 = r0 + (nRows > 1 ? rowBytes : 0); // missing rows alias row 0 and carry weight 0:
  const r2 = r0 + (nRows > 2 ? rowBytes * 2 : 0); // they are stored before row 0, which wins
  const r3 = r0 + (nRows > 3 ? rowBytes * 3 : 0);
  let b = 0;
  for (; b + 4 <= nBins; b += 4) {
    const o = <usize>b << 3;
    let a00 = v128.load(r0 + o), a01 = v128.load(r0 + o, 16);
    let a10 = v128.load(r1 + o), a11 = v128.load(r1 + o, 16);
    let a20 = v128.load(r2 + o), a21 = v128.load(r2 + o, 16);
    let a30 = v128.load(r3 + o), a31 = v128.load(r3 + o, 16);
    for (let k = 0; k < kept; k++) {
      const src = posKernel + <usize>load<i32>(idx + (<usize>k << 2)) * rowBytes + o;
      const k0 = v128.load(src), k1 = v128.load(src, 16);
      const q = w + (<usize>k << 5);
      const w0 = v128.load64_splat(q), w1 = v128.load64_splat(q, 8);
      const w2 = v128.load64_splat(q, 16), w3 = v128.load64_splat(q, 24);
      a00 = f64x2.add(a00, f64x2.mul(w0, k0));
      a01 = f64x2.add(a01, f64x2.mul(w0, k1));
      a10 = f64x2.add(a10, f64x2.mul(w1, k0));
      a11 = f64x2.add(a11, f64x2.mul(w1, k1));
      a20 = f64x2.add(a20, f64x2.mul(w2, k0));
      a21 = f64x2.add(a21, f64x2.mul(w2, k1));
      a30 = f64x2.add(a30, f64x2.mul(w3, k0));
      a31 = f64x2.add(a31, f64x2.mul(w3, k1));
    }
    v128.store(r3 + o, a30);
    v128.store(r3 + o, a31, 16);
    v128.store(r2 + o, a20);
    v128.store(r2 + o, a21, 16);
    v128.store(r1 + o, a10);
    v128.store(r1 + o, a11, 16);
    v128.store(r0 + o, a00);
    v128.store(r0 + o, a01, 16);
  }
  for (; b < nBins; b++) {
    const o = <usize>b << 3;
    for (let i = nRows - 1; i >= 0; i--) {
      const r = r0 + <usize>i * rowBytes + o;
      let s = load<f64>(r);
      for (let k = 0; k < kept; k++) {
        const src = posKernel + <usize>load<i32>(idx + (<usize>k << 2)) * rowBytes + o;
        s += load<f64>(w + (<usize>k << 5) + (<usize>i << 3)) * load<f64>(src);
      }
      store<f64>(r, s);
    }
  }
}

/**
 * acc[d, :] += sum_e exp(-(x(d,e) - xmin[d])) posKernel[e, :] over one block of encoding spikes
 * (encT points at the block's first spike; posKernel holds the block's rows). scratch: nEnc × 36
 * bytes (four weights and an index per encoding spike).
 */
export function markAccumulate(
  dec: usize, nDec: i32, encT: usize, nEnc: i32, encStride: i32, dim: i32, scale: f64,
  xmin: usize, cutoff: f64, posKernel: usize, nBins: i32, acc: usize, scratch: usize,
): void {
  const rowBytes = <usize>encStride << 3;
  const w = scratch;
  const idx = scratch + (<usize>nEnc << 5);
  for (let d0 = 0; d0 < nDec; d0 += 4) {
    const nRows = min(4, nDec - d0);
    const kept = weights4(dec, d0, nRows, encT, nEnc, rowBytes, dim, scale, xmin, cutoff, w, idx);
    if (kept > 0) accumulate4(w, idx, kept, posKernel, nBins, acc, d0, nRows);
  }
}

/**
 * Rows of the normalised Gaussian position kernel, out[e, b] = norm * exp(-inv * |c_b - x_e|^2)
 * (0 where inv * |.|^2 > 40), as the TypeScript positionKernelRows, two bins per lane pair.
 * centersT: bin centres dimension-major (centersT[k * nBins + b]); pos: nPos × dims.
 */
export function positionKernel(
  centersT: usize, nBins: i32, dims: i32, pos: usize, nPos: i32, norm: f64, inv: f64, out: usize,
): void {
  const binBytes = <usize>nBins << 3;
  const nv = f64x2.splat(norm), iv = f64x2.splat(inv), limit = f64x2.splat(40);
  for (let e = 0; e < nPos; e++) {
    const p = pos + ((<usize>e * dims) << 3);
    const row = out + <usize>e * binBytes;
    for (let b = 0; b < nBins; b += 2) {
      let d2 = f64x2.splat(0);
      let c = centersT + (<usize>b << 3);
      for (let k = 0; k < dims; k++) {
        const v = f64x2.sub(b + 2 <= nBins ? v128.load(c) : v128.load64_zero(c), v128.load64_splat(p + (<usize>k << 3)));
        d2 = f64x2.add(d2, f64x2.mul(v, v));
        c += binBytes;
      }
      const x = f64x2.mul(d2, iv);
      const far = f64x2.gt(x, limit);
      // most bins lie beyond the kernel's reach: no exp for them
      const y = v128.all_true<i64>(far) ? f64x2.splat(0) : v128.andnot(f64x2.mul(nv, expNegPrecise2(x)), far);
      if (b + 2 <= nBins) v128.store(row + (<usize>b << 3), y);
      else store<f64>(row + (<usize>b << 3), f64x2.extract_lane(y, 0));
    }
  }
}
