import type { Matrix } from '@spyglass-wasm/core';
import { envelope } from '../spectral/hilbert.js';
import type { Block } from './blocks.js';
import { gaussianFilter1d } from './gaussian-filter.js';

/** Smallest 5-smooth number ≥ n (2^a·3^b·5^c), scipy.fftpack.next_fast_len. */
export function nextFastLen(n: number): number {
  for (let m = Math.max(1, n); ; m++) {
    let r = m;
    for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
    if (r === 1) return m;
  }
}

/**
 * FFT length for the envelope: 'next_fast_len' (default) pads as ripple_detection's get_envelope
 * (scipy.fftpack.next_fast_len, so results match it to rounding); 'pow2' pads to a power of two,
 * 3–5× faster here on long blocks and different only near block edges.
 */
export type EnvelopePadding = 'next_fast_len' | 'pow2';

/** Hilbert envelope of rows [start, stop) of every channel, zero-padded as `padding` says. Row-major out. */
export function blockEnvelope(m: Matrix, start: number, stop: number, padding: EnvelopePadding = 'next_fast_len'): Float64Array {
  const rows = stop - start, cols = m.cols;
  const padded = padding === 'pow2' ? 2 ** Math.ceil(Math.log2(Math.max(1, rows))) : nextFastLen(rows);
  const x = new Float64Array(padded * cols);
  for (let i = 0; i < rows * cols; i++) x[i] = m.data[start * cols + i];
  return envelope({ data: x, rows: padded, cols }).data.subarray(0, rows * cols);
}

/** ripple_detection's gaussian_smooth: σ in seconds, kernel to 8 σ, zeros beyond the ends. */
export function gaussianSmooth(x: Float64Array, sigmaSeconds: number, fs: number): Float64Array {
  return gaussianFilter1d(x, sigmaSeconds * fs, { truncate: 8, mode: 'constant' });
}

/**
 * Kay et al. (2016) consensus trace: √(smooth(Σ_channels envelope²)), computed within each block;
 * NaN outside the blocks.
 */
export function kayConsensusTrace(m: Matrix, blocks: readonly Block[], fs: number, sigma: number, padding?: EnvelopePadding): Float64Array {
  const out = new Float64Array(m.rows).fill(NaN);
  for (const [start, stop] of blocks) {
    const env = blockEnvelope(m, start, stop, padding);
    const power = new Float64Array(stop - start);
    for (let r = 0; r < power.length; r++) {
      let s = 0;
      for (let c = 0; c < m.cols; c++) s += env[r * m.cols + c] ** 2;
      power[r] = s;
    }
    const smooth = gaussianSmooth(power, sigma, fs);
    for (let r = 0; r < power.length; r++) out[start + r] = Math.sqrt(smooth[r]);
  }
  return out;
}

/** Per-channel smoothed envelopes (Karlsson), channel-major: one Float64Array of rows per channel. */
export function smoothedEnvelopes(m: Matrix, blocks: readonly Block[], fs: number, sigma: number, padding?: EnvelopePadding): Float64Array[] {
  const out = Array.from({ length: m.cols }, () => new Float64Array(m.rows).fill(NaN));
  for (const [start, stop] of blocks) {
    const env = blockEnvelope(m, start, stop, padding);
    const ch = new Float64Array(stop - start);
    for (let c = 0; c < m.cols; c++) {
      for (let r = 0; r < ch.length; r++) ch[r] = env[r * m.cols + c];
      out[c].set(gaussianSmooth(ch, sigma, fs), start);
    }
  }
  return out;
}
