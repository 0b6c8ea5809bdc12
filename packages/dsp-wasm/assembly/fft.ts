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

/** One radix-2 DIT stage of butterflies `size` apart … `size`/2 apart (tw step n/size). */
@inline function ditStage(data: usize, n: i32, tw: usize, size: i32): void {
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

/** DIT stages size/2 and size in one pass over the data (the same operations as two passes). */
@inline function ditStage2(data: usize, n: i32, tw: usize, size: i32): void {
  const quarter = <usize>(size >> 2) << 4;
  const step = <usize>(n / size) << 5; // W_size^k
  const stepHalf = step << 1; // W_(size/2)^k
  for (let start = 0; start < n; start += size) {
    let p = data + (<usize>start << 4);
    let w = tw, wh = tw;
    const wq = tw + (quarter >> 4) * step; // W_size^(k + size/4)
    for (let k: usize = 0; k < quarter; k += 16) {
      const a = v128.load(p), b = v128.load(p + quarter);
      const c = v128.load(p + 2 * quarter), d = v128.load(p + 3 * quarter);
      const tb = cmul(wh, b), td = cmul(wh, d);
      const a1 = f64x2.add(a, tb), b1 = f64x2.sub(a, tb);
      const c1 = f64x2.add(c, td), d1 = f64x2.sub(c, td);
      const tc = cmul(w, c1), tdd = cmul(wq + (k >> 4) * step, d1);
      v128.store(p, f64x2.add(a1, tc));
      v128.store(p + 2 * quarter, f64x2.sub(a1, tc));
      v128.store(p + quarter, f64x2.add(b1, tdd));
      v128.store(p + 3 * quarter, f64x2.sub(b1, tdd));
      p += 16;
      w += step;
      wh += stepHalf;
    }
  }
}

/** Decimation-in-time butterflies: bit-reversed input, natural-order output. */
export function ditStages(data: usize, n: i32, tw: usize): void {
  pairStage(data, n);
  let size = 4;
  for (; size * 2 <= n; size <<= 2) ditStage2(data, n, tw, size * 2);
  if (size == n) ditStage(data, n, tw, size);
}

/** One radix-2 DIF stage (butterflies `size`/2 apart, tw step n/size). */
@inline function difStage(data: usize, n: i32, tw: usize, size: i32): void {
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

/** DIF stages size and size/2 in one pass over the data (the same operations as two passes). */
@inline function difStage2(data: usize, n: i32, tw: usize, size: i32): void {
  const quarter = <usize>(size >> 2) << 4;
  const step = <usize>(n / size) << 5;
  const stepHalf = step << 1;
  for (let start = 0; start < n; start += size) {
    let p = data + (<usize>start << 4);
    let w = tw, wh = tw;
    const wq = tw + (quarter >> 4) * step;
    for (let k: usize = 0; k < quarter; k += 16) {
      const a = v128.load(p), b = v128.load(p + quarter);
      const c = v128.load(p + 2 * quarter), d = v128.load(p + 3 * quarter);
      const a1 = f64x2.add(a, c), c1 = cmul(w, f64x2.sub(a, c));
      const b1 = f64x2.add(b, d), d1 = cmul(wq + (k >> 4) * step, f64x2.sub(b, d));
      v128.store(p, f64x2.add(a1, b1));
      v128.store(p + quarter, cmul(wh, f64x2.sub(a1, b1)));
      v128.store(p + 2 * quarter, f64x2.add(c1, d1));
      v128.store(p + 3 * quarter, cmul(wh, f64x2.sub(c1, d1)));
      p += 16;
      w += step;
      wh += stepHalf;
    }
  }
}

/**
 * Decimation-in-frequency butterflies: natural-order input, bit-reversed output. Followed by a
 * pointwise product and ditStages with the conjugate table, it is a circular convolution with no
 * permutation at all (both spectra in the same bit-reversed order).
 */
export function difStages(data: usize, n: i32, tw: usize): void {
  let size = n;
  for (; size >= 8; size >>= 2) difStage2(data, n, tw, size);
  if (size == 4) difStage(data, n, tw, size);
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
