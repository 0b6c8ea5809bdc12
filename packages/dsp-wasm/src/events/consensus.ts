import {
  checkBackend,
  checkChoice,
  checkNumber,
  checkOptionNames,
  type Backend,
  type Matrix,
  log2,
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
  const padded = padding === 'pow2' ? 2 ** Math.ceil(log2(Math.max(1, rows))) : nextFastLen(rows);
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
  const o = envelopeSettings('kayConsensusTrace', options);
  const out = new Float64Array(m.rows).fill(NaN);
  for (const [start, stop] of blocks) out.set(kaySegment(m, start, stop, o), start);
  return out;
}

/** The Kay trace of rows [start, stop) of m, taken as one block. */
function kaySegment(m: Matrix, start: number, stop: number, o: Required<EnvelopeOptions>): Float64Array {
  const power = new Float64Array(stop - start);
  for (let c0 = 0; c0 < m.cols; c0 += 2) {
    const width = Math.min(2, m.cols - c0);
    const env = blockEnvelope(m, start, stop, c0, width, o.padding, o.backend);
    for (let r = 0; r < power.length; r++) for (let k = 0; k < width; k++) power[r] += env[r * width + k] ** 2;
  }
  const smooth = gaussianSmooth(power, o.sigma, o.fs);
  for (let r = 0; r < smooth.length; r++) smooth[r] = Math.sqrt(smooth[r]);
  return smooth;
}

/** The smoothed envelopes of channels [c0, c0 + width) over rows [start, stop) of m, taken as one block. */
function envelopeSegment(
  m: Matrix,
  start: number,
  stop: number,
  c0: number,
  width: number,
  o: Required<EnvelopeOptions>,
): Float64Array[] {
  const env = blockEnvelope(m, start, stop, c0, width, o.padding, o.backend);
  const ch = new Float64Array(stop - start);
  return Array.from({ length: width }, (_, k) => {
    for (let r = 0; r < ch.length; r++) ch[r] = env[r * width + k];
    return gaussianSmooth(ch, o.sigma, o.fs);
  });
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
  const o = envelopeSettings('forEachSmoothedEnvelope', options);
  for (let c0 = 0; c0 < m.cols; c0 += 2) {
    const width = Math.min(2, m.cols - c0);
    const traces = Array.from({ length: width }, () => new Float64Array(m.rows).fill(NaN));
    for (const [start, stop] of blocks)
      envelopeSegment(m, start, stop, c0, width, o).forEach((t, k) => traces[k].set(t, start));
    traces.forEach((t, k) => each(c0 + k, t));
  }
}

/**
 * Rows of a long band-passed recording around a window: `span` holds rows [lo, lo + span.rows),
 * the window is rows [start, stop) within them; `blocks` are the blocks (blocks.ts) that meet the
 * span, in the recording's row numbers.
 */
export interface BandWindow {
  span: Matrix;
  lo: number;
  start: number;
  stop: number;
  blocks: readonly Block[];
}

/**
 * The windowed path of kayConsensusTrace: its rows [w.start, w.stop), each block's part computed
 * on the block's rows within the span (the envelope's FFT and the smoothing see no further). Equal
 * to the whole-array trace where the block ends in the span; elsewhere the span's margin decides
 * how close (Hilbert's kernel decays as 1/t: see detectRipplesInWindows).
 */
export function kayConsensusWindow(w: BandWindow, options: EnvelopeOptions): Float64Array {
  const o = envelopeSettings('kayConsensusWindow', options);
  const out = new Float64Array(w.stop - w.start).fill(NaN);
  forSegments(
    w,
    (a, b) => [kaySegment(w.span, a, b, o)],
    (_, t, at) => out.set(t, at),
  );
  return out;
}

/** The windowed path of forEachSmoothedEnvelope, for channels [c0, c0 + width): rows [w.start, w.stop) of each. */
export function smoothedEnvelopeWindow(
  w: BandWindow,
  c0: number,
  width: number,
  options: EnvelopeOptions,
): Float64Array[] {
  const o = envelopeSettings('smoothedEnvelopeWindow', options);
  const out = Array.from({ length: width }, () => new Float64Array(w.stop - w.start).fill(NaN));
  forSegments(
    w,
    (a, b) => envelopeSegment(w.span, a, b, c0, width, o),
    (k, t, at) => out[k].set(t, at),
  );
  return out;
}

/**
 * For each block meeting the window: `compute` on the block's rows within the span (span row
 * numbers), then `put(k, rows, at)` for each trace's rows inside the window, `at` window-relative.
 */
function forSegments(
  w: BandWindow,
  compute: (a: number, b: number) => Float64Array[],
  put: (k: number, rows: Float64Array, at: number) => void,
): void {
  const hi = w.lo + w.span.rows;
  for (const [s, e] of w.blocks) {
    const a = Math.max(s, w.lo),
      b = Math.min(e, hi);
    const from = Math.max(s, w.start),
      to = Math.min(e, w.stop);
    if (to <= from || b <= a) continue;
    compute(a - w.lo, b - w.lo).forEach((t, k) => put(k, t.subarray(from - a, to - a), from - w.start));
  }
}
