import { cmulSpec, difStages, ditStages } from './fft';

// Zero-phase FIR filtering (with decimation by q) of every channel by polyphase FFT overlap-save.
//
// y[j] = sum_k h[k] · x[base + j·q − k] for j < count, x taken as zero outside [0, rows).
// With k = p·q + r: y = sum_r h_r ∗ u_r, where h_r[p] = h[p·q + r] (P = ceil(ntaps / q) taps) and
// u_r[i] = x[base − r + i·q]: q short convolutions at the output rate, so only kept outputs are
// computed and the transforms are q times shorter than a full-rate filter would need (q = 1 is
// plain overlap-save). Spectra are summed before one inverse transform per block.
//
// Two real channels ride in the real and imaginary parts of one complex FFT (a real filter keeps
// them apart). The forward transform is by decimation in frequency and the inverse by decimation
// in time, so spectra stay in bit-reversed order in between and no permutation is ever done.
// spec: q spectra of nfft values (FFT of h_r zero-padded, scaled 1/nfft, bit-reversed, each value
// [re, re, −im, im]). out[j·cols + ch], same dtype as x.

/** Loads u_r[i0 + i], i < nfft, of channels a and a + 1 (a + 1 only if pair) as complex values. */
@inline function gather(
  x: usize, rows: i32, cols: i32, a: i32, pair: bool, isF32: i32, row0: i32, q: i32, nfft: i32, buf: usize,
): void {
  // Rows row0 + i·q inside [0, rows): i in [lo, hi).
  const lo = row0 < 0 ? min(nfft, (q - 1 - row0) / q) : 0;
  const hi = row0 >= rows ? lo : max(lo, min(nfft, (rows - 1 - row0) / q + 1));
  memory.fill(buf, 0, <usize>lo << 4);
  memory.fill(buf + (<usize>hi << 4), 0, <usize>(nfft - hi) << 4);
  const shift: usize = isF32 ? 2 : 3;
  const stride = (<usize>q * <usize>cols) << shift;
  let p = x + ((<usize>(row0 + lo * q) * <usize>cols + <usize>a) << shift);
  let d = buf + (<usize>lo << 4);
  const zero = f64x2.splat(0);
  if (isF32) {
    if (pair) {
      for (let i = lo; i < hi; i++, p += stride, d += 16) v128.store(d, f64x2.promote_low_f32x4(v128.load64_zero(p)));
    } else {
      for (let i = lo; i < hi; i++, p += stride, d += 16) v128.store(d, f64x2.replace_lane(zero, 0, <f64>load<f32>(p)));
    }
  } else if (pair) {
    for (let i = lo; i < hi; i++, p += stride, d += 16) v128.store(d, v128.load(p));
  } else {
    for (let i = lo; i < hi; i++, p += stride, d += 16) v128.store(d, f64x2.replace_lane(zero, 0, load<f64>(p)));
  }
}

/** Eight channels a … a + 7 at once (four pairs, one 32-byte read per row for float32) into buf[0..3]. */
@inline function gather8(
  x: usize, rows: i32, cols: i32, a: i32, isF32: i32, row0: i32, q: i32, nfft: i32, buf: usize,
): void {
  const lo = row0 < 0 ? min(nfft, (q - 1 - row0) / q) : 0;
  const hi = row0 >= rows ? lo : max(lo, min(nfft, (rows - 1 - row0) / q + 1));
  const bufBytes = <usize>nfft << 4;
  for (let g: usize = 0; g < 4; g++) {
    memory.fill(buf + g * bufBytes, 0, <usize>lo << 4);
    memory.fill(buf + g * bufBytes + (<usize>hi << 4), 0, <usize>(nfft - hi) << 4);
  }
  const shift: usize = isF32 ? 2 : 3;
  const stride = (<usize>q * <usize>cols) << shift;
  let p = x + ((<usize>(row0 + lo * q) * <usize>cols + <usize>a) << shift);
  let d = buf + (<usize>lo << 4);
  if (isF32) {
    for (let i = lo; i < hi; i++, p += stride, d += 16) {
      const v = v128.load(p), w = v128.load(p, 16);
      v128.store(d, f64x2.promote_low_f32x4(v));
      v128.store(d + bufBytes, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
      v128.store(d + 2 * bufBytes, f64x2.promote_low_f32x4(w));
      v128.store(d + 3 * bufBytes, f64x2.promote_low_f32x4(i32x4.shuffle(w, w, 2, 3, 0, 1)));
    }
  } else {
    for (let i = lo; i < hi; i++, p += stride, d += 16) {
      v128.store(d, v128.load(p));
      v128.store(d + bufBytes, v128.load(p, 16));
      v128.store(d + 2 * bufBytes, v128.load(p, 32));
      v128.store(d + 3 * bufBytes, v128.load(p, 48));
    }
  }
}

/**
 * buf, acc: 4 · nfft complex scratch each. Channels go four pairs at a time, so each row of x is
 * read once per group and each branch's spectrum serves four transforms while it is in cache.
 */
export function firPolyphase(
  x: usize,
  rows: i32,
  cols: i32,
  isF32: i32,
  spec: usize,
  nfft: i32,
  q: i32,
  ntapsP: i32,
  base: i32,
  count: i32,
  tw: usize,
  twInv: usize,
  buf: usize,
  acc: usize,
  out: usize,
): void {
  const valid = nfft - (ntapsP - 1);
  const shift: usize = isF32 ? 2 : 3;
  const specBytes = <usize>nfft << 5;
  const bufBytes = <usize>nfft << 4;
  const dstStep = <usize>cols << shift;
  for (let j0 = 0; j0 < count; j0 += valid) {
    const nOut = min(valid, count - j0);
    for (let a0 = 0; a0 < cols; a0 += 8) {
      const np = min(4, (cols - a0 + 1) >> 1); // pairs in this group (the last may be one channel)
      for (let r = 0; r < q; r++) {
        const row0 = base - r + (j0 - ntapsP + 1) * q;
        if (a0 + 8 <= cols) gather8(x, rows, cols, a0, isF32, row0, q, nfft, buf);
        else
          for (let g = 0; g < np; g++) {
            const a = a0 + 2 * g;
            gather(x, rows, cols, a, a + 1 < cols, isF32, row0, q, nfft, buf + <usize>g * bufBytes);
          }
        for (let g = 0; g < np; g++) {
          const b = buf + <usize>g * bufBytes;
          difStages(b, nfft, tw);
          cmulSpec(b, acc + <usize>g * bufBytes, spec + <usize>r * specBytes, nfft, r);
        }
      }
      for (let g = 0; g < np; g++) {
        const a = a0 + 2 * g;
        const pair = a + 1 < cols;
        const ag = acc + <usize>g * bufBytes;
        ditStages(ag, nfft, twInv);
        // Output j0 + t is the circular result at t + P − 1.
        let src = ag + (<usize>(ntapsP - 1) << 4);
        let dst = out + ((<usize>j0 * <usize>cols + <usize>a) << shift);
        for (let t = 0; t < nOut; t++, src += 16, dst += dstStep) {
          const v = v128.load(src);
          if (isF32) {
            if (pair) v128.store64_lane(dst, f32x4.demote_f64x2_zero(v), 0);
            else store<f32>(dst, <f32>f64x2.extract_lane(v, 0));
          } else if (pair) v128.store(dst, v);
          else store<f64>(dst, f64x2.extract_lane(v, 0));
        }
      }
    }
  }
}
