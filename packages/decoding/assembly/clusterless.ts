// Clusterless mark kernel sums. For decoding spike d and encoding spike e (marks of `dim` values):
//   x(d, e) = scale * |m_d - m_e|^2      (scale = 1 / (2 waveform_std^2))
//   acc[d, b] += exp(-(x(d, e) - xmin[d])) * posKernel[e, b]
// xmin[d] is the smallest x over all encoding spikes, so the largest term is exp(0) = 1 and terms
// with x - xmin > cutoff (each < e^-cutoff of the largest) are skipped: the relative error of the
// sum is at most nEnc * e^-cutoff plus expNeg's 5e-10. The caller adds back -xmin in log space.

import { expNeg } from './expneg';

// @ts-ignore: decorator
@inline
function markDistance(a: usize, b: usize, dim: i32): f64 {
  let s: f64 = 0;
  for (let j = 0; j < dim; j++) {
    const d = load<f64>(a + (<usize>j << 3)) - load<f64>(b + (<usize>j << 3));
    s += d * d;
  }
  return s;
}

/** xmin[d] = min over encoding spikes of scale * |m_d - m_e|^2, folded into xmin (call per block). */
export function markMinDistance(dec: usize, nDec: i32, enc: usize, nEnc: i32, dim: i32, scale: f64, xmin: usize): void {
  const stride = <usize>dim << 3;
  for (let d = 0; d < nDec; d++) {
    const a = dec + <usize>d * stride;
    let best = load<f64>(xmin + (<usize>d << 3));
    for (let e = 0; e < nEnc; e++) {
      const x = scale * markDistance(a, enc + <usize>e * stride, dim);
      if (x < best) best = x;
    }
    store<f64>(xmin + (<usize>d << 3), best);
  }
}

/** acc[d, :] += sum_e exp(-(x(d,e) - xmin[d])) posKernel[e, :] over one block of encoding spikes. */
export function markAccumulate(
  dec: usize, nDec: i32, enc: usize, nEnc: i32, dim: i32, scale: f64,
  xmin: usize, cutoff: f64, posKernel: usize, nBins: i32, acc: usize,
): void {
  const stride = <usize>dim << 3;
  const rowBytes = <usize>nBins << 3;
  const pairs = nBins >> 1;
  for (let d = 0; d < nDec; d++) {
    const a = dec + <usize>d * stride;
    const x0 = load<f64>(xmin + (<usize>d << 3));
    const dst = acc + <usize>d * rowBytes;
    for (let e = 0; e < nEnc; e++) {
      const x = scale * markDistance(a, enc + <usize>e * stride, dim) - x0;
      if (x > cutoff) continue;
      const w = expNeg(x);
      const wv = f64x2.splat(w);
      const src = posKernel + <usize>e * rowBytes;
      for (let p = 0; p < pairs; p++) {
        const o = <usize>p << 4;
        v128.store(dst + o, f64x2.add(v128.load(dst + o), f64x2.mul(wv, v128.load(src + o))));
      }
      if (nBins & 1) {
        const o = <usize>(nBins - 1) << 3;
        store<f64>(dst + o, load<f64>(dst + o) + w * load<f64>(src + o));
      }
    }
  }
}
