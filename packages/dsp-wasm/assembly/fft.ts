// In-place radix-2 complex FFT on interleaved (re, im) f64 pairs, n a power of two.
// tw: n/2 twiddles, each stored as two f64x2 vectors [wr, wr] and [-wi, wi] (32 bytes), so a
// complex multiply is two SIMD multiplies and an add. Pass the conjugate table for the inverse
// (unscaled, as numpy's ifft times n).

@inline function cmul(w: usize, b: v128): v128 {
  const swapped = i64x2.shuffle(b, b, 1, 0);
  return f64x2.add(f64x2.mul(v128.load(w), b), f64x2.mul(v128.load(w, 16), swapped));
}

export function fft(data: usize, n: i32, tw: usize): void {
  bitReverse(data, n);
  ditStages(data, n, tw);
}

/** Bit-reversal permutation of n complex values. */
function bitReverse(data: usize, n: i32): void {
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
}

/** Decimation-in-time butterflies: bit-reversed input, natural-order output. */
export function ditStages(data: usize, n: i32, tw: usize): void {
  pairStage(data, n);
  for (let size = 4; size <= n; size <<= 1) {
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

/**
 * Decimation-in-frequency butterflies: natural-order input, bit-reversed output. Followed by a
 * pointwise product and ditStages with the conjugate table, it is a circular convolution with no
 * permutation at all (both spectra in the same bit-reversed order).
 */
export function difStages(data: usize, n: i32, tw: usize): void {
  for (let size = n; size >= 4; size >>= 1) {
    const half = size >> 1;
    const step = <usize>(n / size) << 5;
    for (let start = 0; start < n; start += size) {
      let pa = data + (<usize>start << 4);
      let pb = pa + (<usize>half << 4);
      let w = tw;
      for (let k = 0; k < half; k++) {
        const a = v128.load(pa), b = v128.load(pb);
        v128.store(pa, f64x2.add(a, b));
        v128.store(pb, cmul(w, f64x2.sub(a, b)));
        pa += 16;
        pb += 16;
        w += step;
      }
    }
  }
  pairStage(data, n);
}

/** The size-2 butterflies of either direction: the twiddle is 1. */
@inline function pairStage(data: usize, n: i32): void {
  for (let p = data, end = data + (<usize>n << 4); p < end; p += 32) {
    const a = v128.load(p), b = v128.load(p, 16);
    v128.store(p, f64x2.add(a, b));
    v128.store(p, f64x2.sub(a, b), 16);
  }
}

/** acc[i] (+)= data[i] · spec[i] for n complex values; spec in the twiddle layout [sr, sr, −si, si]. */
export function cmulSpec(data: usize, acc: usize, spec: usize, n: i32, add: i32): void {
  for (let i = 0; i < n; i++) {
    const p = acc + (<usize>i << 4);
    const v = cmul(spec + (<usize>i << 5), v128.load(data + (<usize>i << 4)));
    v128.store(p, add ? f64x2.add(v128.load(p), v) : v);
  }
}
