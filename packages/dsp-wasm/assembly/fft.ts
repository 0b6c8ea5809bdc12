// In-place radix-2 complex FFT on interleaved (re, im) f64 pairs, n a power of two.
// tw: n/2 twiddles, each stored as two f64x2 vectors [wr, wr] and [-wi, wi] (32 bytes), so a
// complex multiply is two SIMD multiplies and an add. Pass the conjugate table for the inverse
// (unscaled, as numpy's ifft times n).

@inline function cmul(w: usize, b: v128): v128 {
  const swapped = i64x2.shuffle(b, b, 1, 0);
  return f64x2.add(f64x2.mul(v128.load(w), b), f64x2.mul(v128.load(w, 16), swapped));
}

export function fft(data: usize, n: i32, tw: usize): void {
  // Bit-reversal permutation.
  let j = 0;
  for (let i = 0; i < n - 1; i++) {
    if (i < j) {
      const a = data + (<usize>i << 4), b = data + (<usize>j << 4);
      const t = v128.load(a);
      v128.store(a, v128.load(b));
      v128.store(b, t);
    }
    let m = n >> 1;
    while (m >= 1 && j >= m) {
      j -= m;
      m >>= 1;
    }
    j += m;
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = <usize>(n / size) << 5;
    for (let start = 0; start < n; start += size) {
      let pa = data + (<usize>start << 4);
      let pb = pa + (<usize>half << 4);
      let w = tw;
      for (let k = 0; k < half; k++) {
        const a = v128.load(pa);
        const t = cmul(w, v128.load(pb));
        v128.store(pa, f64x2.add(a, t));
        v128.store(pb, f64x2.sub(a, t));
        pa += 16;
        pb += 16;
        w += step;
      }
    }
  }
}

/** data[i] *= spec[i] for n complex values (interleaved). */
export function cmulInPlace(data: usize, spec: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = data + (<usize>i << 4), s = spec + (<usize>i << 4);
    const a = v128.load(p), b = v128.load(s);
    const re = f64x2.mul(a, b); // [ar*br, ai*bi]
    const cross = f64x2.mul(a, i64x2.shuffle(b, b, 1, 0)); // [ar*bi, ai*br]
    v128.store(p, f64x2.replace_lane(f64x2.splat(f64x2.extract_lane(re, 0) - f64x2.extract_lane(re, 1)), 1,
      f64x2.extract_lane(cross, 0) + f64x2.extract_lane(cross, 1)));
  }
}
