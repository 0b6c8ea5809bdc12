import { atan2, hypot } from '@spyglass-wasm/core';
import type { Matrix } from '@spyglass-wasm/core';
import { hilbert } from '../spectral/hilbert.js';
import type { Block } from './blocks.js';

/** Half-width (s) of the band-passed LFP around a peak whose analytic signal is taken. */
const CONTEXT = 0.05;
/** Half-width (s) of the span centred on the peak whose phase slope gives the frequency. */
const SPAN = 0.01;

/**
 * Frequency at an event's peak (Hz): the slope, over 2π, of a least-squares line through the
 * unwrapped Hilbert phase of the band-passed LFP over the 20 ms centred on the peak sample (the
 * instantaneous frequency there, averaged so noise at single samples does not dominate), on the
 * channel with the largest amplitude at the peak. The analytic signal is taken on ±50 ms of the
 * band around the peak, within the peak's block (no missing sample, no time gap), so its edge
 * effects stay away from the peak. NaN if the block holds fewer than 3 samples.
 *
 * @example
 * const hz = peakFrequency(rippleBand, time, [[0, rippleBand.rows]], e.peakIndex); // ≈ 180 for a 180 Hz ripple
 */
export function peakFrequency(
  band: Matrix,
  time: ArrayLike<number>,
  blocks: readonly Block[],
  peakIndex: number,
): number {
  const at = peakContext(time, blocks, peakIndex);
  if (!at) return NaN;
  const cols = band.cols;
  return frequencyAt({ data: band.data.subarray(at.from * cols, at.to * cols), rows: at.to - at.from, cols }, time, at);
}

/** Where peakFrequency reads the band: rows [from, to) and the block's mean step; undefined when it gives NaN. */
function peakContext(
  time: ArrayLike<number>,
  blocks: readonly Block[],
  peakIndex: number,
): { from: number; to: number; dt: number; peakIndex: number } | undefined {
  const block = blocks.find(([a, b]) => peakIndex >= a && peakIndex < b);
  return block && contextIn(block, time[block[0]], time[block[1] - 1], peakIndex);
}

/** peakContext in the peak's block, given the times of the block's first and last sample. */
export function contextIn(
  block: Block,
  firstTime: number,
  lastTime: number,
  peakIndex: number,
): { from: number; to: number; dt: number; peakIndex: number } | undefined {
  if (block[1] - block[0] < 3) return undefined;
  const dt = (lastTime - firstTime) / (block[1] - 1 - block[0]);
  const reach = Math.max(1, Math.round(CONTEXT / dt));
  return { from: Math.max(block[0], peakIndex - reach), to: Math.min(block[1], peakIndex + reach + 1), dt, peakIndex };
}

/** peakFrequency from the band's rows [at.from, at.to) (`band`), as peakContext gave them. */
export function frequencyAt(
  band: Matrix,
  time: ArrayLike<number>,
  at: { from: number; dt: number; peakIndex: number },
): number {
  const { from, dt, peakIndex } = at;
  const reach = (s: number) => Math.max(1, Math.round(s / dt));
  const rows = band.rows,
    cols = band.cols;
  const a = hilbert(band);
  const p = peakIndex - from;
  let channel = 0,
    best = -1;
  for (let c = 0; c < cols; c++) {
    const amp = hypot(a.re[p * cols + c], a.im[p * cols + c]);
    if (amp > best) [best, channel] = [amp, c];
  }
  const lo = Math.max(0, p - reach(SPAN)),
    hi = Math.min(rows - 1, p + reach(SPAN));
  // unwrapped phase: sum of the steps arg(z[i+1] · conj(z[i])), each wrapped to (−π, π]
  const t = new Float64Array(hi - lo + 1),
    phase = new Float64Array(hi - lo + 1);
  for (let i = lo; i <= hi; i++) {
    t[i - lo] = time[from + i] - time[peakIndex];
    if (i === lo) continue;
    const [r0, i0, r1, i1] = [
      a.re[(i - 1) * cols + channel],
      a.im[(i - 1) * cols + channel],
      a.re[i * cols + channel],
      a.im[i * cols + channel],
    ];
    phase[i - lo] = phase[i - lo - 1] + atan2(i1 * r0 - r1 * i0, r1 * r0 + i1 * i0);
  }
  return slope(t, phase) / (2 * Math.PI);
}

/** Least-squares slope of y on x. */
function slope(x: Float64Array, y: Float64Array): number {
  const n = x.length,
    mx = x.reduce((s, v) => s + v, 0) / n,
    my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}
