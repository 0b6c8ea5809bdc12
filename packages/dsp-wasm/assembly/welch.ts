import { difStages } from './fft';

// Welch periodogram accumulation over a row-major (rows × cols) block, segments outer and channel
// pairs inner, so one segment of every channel (nperseg × cols samples) stays in cache while it is
// used. Two real channels ride in one complex FFT (re, im) and are split by conjugate symmetry.
//
// Segment s covers rows [s·step, s·step + nperseg). detrend: 0 none, 1 mean, 2 least-squares line.
// acc: nfreq × cols f64 (nfreq = nperseg/2 + 1), += |X_c[k]|² (unscaled, two-sided value).
// buf: nperseg complex f64 scratch. tw: twiddles of size nperseg (fftTwiddles().forward). The
// transform leaves its output in bit-reversed order; rev (nperseg i32) maps k to its slot.

/** Loads channels a and a + 1 (a + 1 only if pair) of one segment into buf as complex values. */
@inline function gatherPair(x: usize, row0: i32, cols: i32, a: i32, pair: bool, isF32: i32, n: i32, buf: usize): void {
  const shift: usize = isF32 ? 2 : 3;
  const stride = <usize>cols << shift;
  let p = x + ((<usize>row0 * <usize>cols + <usize>a) << shift);
  const zero = f64x2.splat(0);
  let d = buf;
  const end = buf + (<usize>n << 4);
  if (isF32) {
    if (pair) for (; d < end; d += 16, p += stride) v128.store(d, f64x2.promote_low_f32x4(v128.load64_zero(p)));
    else for (; d < end; d += 16, p += stride) v128.store(d, f64x2.replace_lane(zero, 0, <f64>load<f32>(p)));
  } else if (pair) {
    for (; d < end; d += 16, p += stride) v128.store(d, v128.load(p));
  } else {
    for (; d < end; d += 16, p += stride) v128.store(d, f64x2.replace_lane(zero, 0, load<f64>(p)));
  }
}

/** Removes each lane's mean (detrend 1) or least-squares line (detrend 2), then applies the window. */
@inline function detrendWindow(buf: usize, n: i32, win: usize, detrend: i32): void {
  let mean = f64x2.splat(0);
  let slope = f64x2.splat(0);
  const tMean = <f64>(n - 1) * 0.5;
  if (detrend != 0) {
    let s = f64x2.splat(0);
    let st = f64x2.splat(0);
    for (let i = 0; i < n; i++) {
      const v = v128.load(buf + (<usize>i << 4));
      s = f64x2.add(s, v);
      st = f64x2.add(st, f64x2.mul(v, f64x2.splat(<f64>i - tMean)));
    }
    mean = f64x2.mul(s, f64x2.splat(1.0 / <f64>n));
    if (detrend == 2) {
      // Σ(i − t̄)² in closed form: n(n² − 1)/12.
      const den = (<f64>n * (<f64>n * <f64>n - 1)) / 12;
      if (den > 0) slope = f64x2.mul(st, f64x2.splat(1.0 / den));
    }
  }
  for (let i = 0; i < n; i++) {
    const p = buf + (<usize>i << 4);
    const trend = f64x2.add(mean, f64x2.mul(slope, f64x2.splat(<f64>i - tMean)));
    v128.store(p, f64x2.mul(f64x2.sub(v128.load(p), trend), f64x2.splat(load<f64>(win + (<usize>i << 3)))));
  }
}

/** Splits the packed spectrum Z = FFT(a + ib) and adds |A[k]|², |B[k]|² to acc. */
@inline function accumulatePair(buf: usize, rev: usize, n: i32, cols: i32, a: i32, b: i32, acc: usize): void {
  const nfreq = (n >> 1) + 1;
  for (let k = 0; k < nfreq; k++) {
    const z = buf + (<usize>load<i32>(rev + (<usize>k << 2)) << 4);
    const y = buf + (<usize>load<i32>(rev + (<usize>((n - k) & (n - 1)) << 2)) << 4);
    const zr = load<f64>(z), zi = load<f64>(z, 8), yr = load<f64>(y), yi = load<f64>(y, 8);
    const row = acc + ((<usize>k * <usize>cols) << 3);
    const pa = row + (<usize>a << 3);
    store<f64>(pa, load<f64>(pa) + 0.25 * ((zr + yr) * (zr + yr) + (zi - yi) * (zi - yi)));
    if (b >= 0) {
      const pb = row + (<usize>b << 3);
      store<f64>(pb, load<f64>(pb) + 0.25 * ((zi + yi) * (zi + yi) + (zr - yr) * (zr - yr)));
    }
  }
}

export function welchAccumulate(
  x: usize, cols: i32, isF32: i32,
  nperseg: i32, step: i32, nseg: i32, win: usize, detrend: i32,
  tw: usize, rev: usize, buf: usize, acc: usize,
): void {
  for (let s = 0; s < nseg; s++) {
    for (let a = 0; a < cols; a += 2) {
      const b = a + 1 < cols ? a + 1 : -1;
      gatherPair(x, s * step, cols, a, b >= 0, isF32, nperseg, buf);
      detrendWindow(buf, nperseg, win, detrend);
      difStages(buf, nperseg, tw);
      accumulatePair(buf, rev, nperseg, cols, a, b, acc);
    }
  }
}
