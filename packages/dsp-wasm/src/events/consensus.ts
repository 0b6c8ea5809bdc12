import {
  checkBackend,
  checkChoice,
  checkNumber,
  checkOptionNames,
  type Backend,
  type Matrix,
} from '@spyglass-wasm/core';
import { envelope } from '../spectral/hilbert.js';
import type { Block } from './blocks.js';
import { gaussianFilter1d } from '@spyglass-wasm/core';

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

/**
 * Hilbert envelope of rows [start, stop) of channels [c0, c0 + width), zero-padded as `padding`
 * says; row-major out (rows × width). Callers take two channels at a time, which one complex FFT
 * carries, so memory stays O(rows) however many channels there are.
 */
function blockEnvelope(
  m: Matrix,
  start: number,
  stop: number,
  c0: number,
  width: number,
  padding: EnvelopePadding,
  backend: Backend,
): Float64Array {
  const rows = stop - start;
  const padded = padding === 'pow2' ? 2 ** Math.ceil(Math.log2(Math.max(1, rows))) : nextFastLen(rows);
  const x = new Float64Array(padded * width);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < width; k++) x[r * width + k] = m.data[(start + r) * m.cols + c0 + k];
  return envelope({ data: x, rows: padded, cols: width }, { backend }).data.subarray(0, rows * width);
}

/** ripple_detection's gaussian_smooth: σ in seconds, kernel to 8 σ, zeros beyond the ends. */
export function gaussianSmooth(x: Float64Array, sigmaSeconds: number, fs: number): Float64Array {
  return gaussianFilter1d(x, sigmaSeconds * fs, { truncate: 8, mode: 'constant' });
}

/** How the envelopes of the ripple detectors are smoothed and computed. */
export interface EnvelopeOptions {
  /** Sampling rate, Hz. */
  fs: number;
  /** Gaussian smoothing σ, seconds. */
  sigma: number;
  /** FFT padding (default 'next_fast_len'). */
  padding?: EnvelopePadding;
  /** Where the FFTs run: 'wasm' (default) or 'reference'. */
  backend?: Backend;
}

/** EnvelopeOptions checked, defaults filled. */
function envelopeSettings(fn: string, o: EnvelopeOptions): Required<EnvelopeOptions> {
  checkOptionNames(fn, o, ['fs', 'sigma', 'padding', 'backend']);
  return {
    fs: checkNumber('fs', o?.fs, { min: 0, exclusiveMin: true }),
    sigma: checkNumber('sigma', o.sigma, { min: 0 }),
    padding: checkChoice('padding', o.padding ?? 'next_fast_len', ['next_fast_len', 'pow2'] as const),
    backend: checkBackend(o.backend),
  };
}

/**
 * Kay et al. (2016) consensus trace: √(smooth(Σ_channels envelope²)), computed within each block
 * of rows; NaN outside the blocks.
 *
 * @example
 * const trace = kayConsensusTrace(rippleBand, [[0, rippleBand.rows]], { fs: 1000, sigma: 0.004 });
 */
export function kayConsensusTrace(m: Matrix, blocks: readonly Block[], options: EnvelopeOptions): Float64Array {
  const { fs, sigma, padding, backend } = envelopeSettings('kayConsensusTrace', options);
  const out = new Float64Array(m.rows).fill(NaN);
  for (const [start, stop] of blocks) {
    const power = new Float64Array(stop - start);
    for (let c0 = 0; c0 < m.cols; c0 += 2) {
      const width = Math.min(2, m.cols - c0);
      const env = blockEnvelope(m, start, stop, c0, width, padding, backend);
      for (let r = 0; r < power.length; r++) for (let k = 0; k < width; k++) power[r] += env[r * width + k] ** 2;
    }
    const smooth = gaussianSmooth(power, sigma, fs);
    for (let r = 0; r < power.length; r++) out[start + r] = Math.sqrt(smooth[r]);
  }
  return out;
}

/**
 * Per-channel smoothed envelopes (Karlsson), handed to `each(channel, trace)` one channel at a
 * time (NaN outside the blocks), so memory stays O(rows) however many channels there are.
 */
export function forEachSmoothedEnvelope(
  m: Matrix,
  blocks: readonly Block[],
  options: EnvelopeOptions,
  each: (channel: number, trace: Float64Array) => void,
): void {
  const { fs, sigma, padding, backend } = envelopeSettings('forEachSmoothedEnvelope', options);
  for (let c0 = 0; c0 < m.cols; c0 += 2) {
    const width = Math.min(2, m.cols - c0);
    const traces = Array.from({ length: width }, () => new Float64Array(m.rows).fill(NaN));
    for (const [start, stop] of blocks) {
      const env = blockEnvelope(m, start, stop, c0, width, padding, backend);
      const ch = new Float64Array(stop - start);
      for (let k = 0; k < width; k++) {
        for (let r = 0; r < ch.length; r++) ch[r] = env[r * width + k];
        traces[k].set(gaussianSmooth(ch, sigma, fs), start);
      }
    }
    traces.forEach((t, k) => each(c0 + k, t));
  }
}
