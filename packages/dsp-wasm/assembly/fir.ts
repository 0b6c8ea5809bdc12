import { cmulInPlace, fft } from './fft';

// Zero-phase FIR filtering of up to two channels by FFT overlap-save. The two real channels ride
// in the real and imaginary parts of one complex FFT: a real filter keeps them apart.
//
// y[n] = sum_k h[k] · x[n + delay − k], x taken as zero outside [0, rows) of this window.
// Outputs are y[first + j·q] for j < count, written to out[j·cols + ch] (same dtype as x).
// spec: FFT of h zero-padded to nfft, already scaled by 1/nfft. buf: nfft complex scratch.

@inline function loadSample(x: usize, idx: i32, rows: i32, cols: i32, ch: i32, isF32: i32): f64 {
  if (ch < 0 || idx < 0 || idx >= rows) return 0;
  const off = <usize>idx * <usize>cols + <usize>ch;
  return isF32 ? <f64>load<f32>(x + (off << 2)) : load<f64>(x + (off << 3));
}

@inline function storeSample(out: usize, j: i32, cols: i32, ch: i32, isF32: i32, v: f64): void {
  const off = <usize>j * <usize>cols + <usize>ch;
  if (isF32) store<f32>(out + (off << 2), <f32>v);
  else store<f64>(out + (off << 3), v);
}

export function firPairOverlapSave(
  x: usize, rows: i32, cols: i32, chA: i32, chB: i32, isF32: i32,
  spec: usize, nfft: i32, ntaps: i32, delay: i32,
  first: i32, count: i32, q: i32,
  tw: usize, twInv: usize, buf: usize, out: usize,
): void {
  if (count <= 0) return;
  const valid = nfft - (ntaps - 1);
  const lastN = first + (count - 1) * q;
  // Block b produces full-convolution indices m in [m0, m0 + valid), m = n + delay.
  for (let m0 = first + delay; m0 <= lastN + delay; m0 += valid) {
    const start = m0 - (ntaps - 1);
    for (let i = 0; i < nfft; i++) {
      const p = buf + (<usize>i << 4);
      store<f64>(p, loadSample(x, start + i, rows, cols, chA, isF32));
      store<f64>(p, loadSample(x, start + i, rows, cols, chB, isF32), 8);
    }
    fft(buf, nfft, tw);
    cmulInPlace(buf, spec, nfft);
    fft(buf, nfft, twInv);
    // Outputs n = m − delay on the grid first + j·q.
    const nLo = m0 - delay;
    const nHi = min(nLo + valid, lastN + 1);
    let n = nLo <= first ? first : first + ((nLo - first + q - 1) / q) * q;
    for (; n < nHi; n += q) {
      const i = n + delay - start;
      const j = (n - first) / q;
      const p = buf + (<usize>i << 4);
      storeSample(out, j, cols, chA, isF32, load<f64>(p));
      if (chB >= 0) storeSample(out, j, cols, chB, isF32, load<f64>(p, 8));
    }
  }
}
