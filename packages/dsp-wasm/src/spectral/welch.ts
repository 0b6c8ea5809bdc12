import {
  ParameterError,
  checkChoice,
  checkNumber,
  type FloatArray,
  type Matrix,
  type MatrixInput,
  median,
} from '@spyglass-wasm/core';
import { dspKernels } from '../wasm/kernels.js';
import { bitReversal, fftTwiddles, isPowerOfTwo } from './twiddles.js';
import { signalIO } from '../lib/signal-io.js';
import { fft } from './fft.js';
import { type WindowSpec, getWindow } from './windows.js';

export interface WelchOptions {
  /** Sampling rate in Hz (default 1). */
  fs?: number;
  /** Segment length (default 256, or the signal length if shorter). */
  nperseg?: number;
  /** Overlap between segments (default nperseg / 2). */
  noverlap?: number;
  /** Window (default 'hann', periodic as scipy). */
  window?: WindowSpec;
  /** Remove each segment's mean ('constant', default), its linear fit ('linear'), or nothing (false). */
  detrend?: 'constant' | 'linear' | false;
  /** 'density' (V²/Hz, default) or 'spectrum' (V²). */
  scaling?: 'density' | 'spectrum';
  /** 'mean' (default) or 'median' (bias-corrected like scipy) across segments. */
  average?: 'mean' | 'median';
}

/**
 * Power spectral density by Welch's method, one-sided, like `scipy.signal.welch(x, axis=0)`.
 * Returns frequencies and pxx as (frequencies × channels), row-major.
 *
 * @example
 * const { f, pxx } = welch(lfp, { fs: 1000, nperseg: 1024 });
 */
export function welch<T extends FloatArray>(
  x: MatrixInput<T>,
  options: WelchOptions = {},
): { f: Float64Array; pxx: Float64Array; cols: number } {
  const { m } = signalIO(x);
  const fs = checkNumber('fs', options.fs ?? 1, { min: 0, exclusiveMin: true });
  const nperseg = Math.min(checkNumber('nperseg', options.nperseg ?? 256, { min: 1, integer: true }), m.rows);
  const noverlap = checkNumber('noverlap', options.noverlap ?? Math.floor(nperseg / 2), { min: 0, integer: true });
  if (noverlap >= nperseg) throw new ParameterError('noverlap', `less than nperseg = ${nperseg}`, noverlap);
  const detrend =
    options.detrend === false
      ? false
      : checkChoice('detrend', options.detrend ?? 'constant', ['constant', 'linear'] as const);
  const scaling = checkChoice('scaling', options.scaling ?? 'density', ['density', 'spectrum'] as const);
  const average = checkChoice('average', options.average ?? 'mean', ['mean', 'median'] as const);
  if (m.rows < 1) throw new ParameterError('x', 'at least one sample', m.rows);

  const win = getWindow(options.window ?? 'hann', nperseg);
  let s1 = 0,
    s2 = 0;
  for (const v of win) {
    s1 += v;
    s2 += v * v;
  }
  const scale = scaling === 'density' ? 1 / (fs * s2) : 1 / (s1 * s1);
  const nfreq = Math.floor(nperseg / 2) + 1;
  const step = nperseg - noverlap;
  const nseg = Math.floor((m.rows - noverlap) / step);
  const { cols } = m;
  const pxx =
    average === 'mean' && isPowerOfTwo(nperseg) && nperseg > 1
      ? welchMeanWasm(m, { nperseg, step, nseg, win, detrend })
      : welchSegments(m, { nperseg, step, nseg, win, detrend }, average);
  for (let k = 0; k < nfreq; k++) {
    // one-sided: every bin but DC and (even nperseg) Nyquist carries its mirror's power too
    const twice = k > 0 && !(nperseg % 2 === 0 && k === nfreq - 1);
    const g = twice ? 2 * scale : scale;
    for (let c = 0; c < cols; c++) pxx[k * cols + c] *= g;
  }
  const f = Float64Array.from({ length: nfreq }, (_, k) => (k * fs) / nperseg);
  return { f, pxx, cols };
}

interface Segmenting {
  nperseg: number;
  step: number;
  nseg: number;
  win: Float64Array;
  detrend: 'constant' | 'linear' | false;
}

/** Mean two-sided periodogram |X_c[k]|² over segments (k < nperseg/2 + 1), by the Wasm kernel. */
function welchMeanWasm<T extends FloatArray>(m: Matrix<T>, sg: Segmenting): Float64Array {
  const { nperseg, step, nseg, win } = sg;
  const { cols } = m;
  const nfreq = Math.floor(nperseg / 2) + 1;
  const { exports, heap } = dspKernels.get();
  const tw = fftTwiddles(nperseg);
  const isF32 = m.data instanceof Float32Array ? 1 : 0;
  // Segments per call: about 2^20 samples of input in Wasm memory at a time.
  const perCall = Math.max(1, Math.floor(2 ** 20 / (step * cols)));
  return heap.scoped(() => {
    const pWin = heap.put(win);
    const pTw = heap.put(tw.forward);
    const pRev = heap.put(bitReversal(nperseg));
    const pBuf = heap.alloc(16 * nperseg);
    const pAcc = heap.alloc(8 * nfreq * cols);
    heap.f64(pAcc, nfreq * cols).fill(0);
    const detrend = sg.detrend === 'constant' ? 1 : sg.detrend === 'linear' ? 2 : 0;
    for (let s0 = 0; s0 < nseg; s0 += perCall) {
      const count = Math.min(perCall, nseg - s0);
      const rows = (count - 1) * step + nperseg;
      heap.scoped(() => {
        const pX = heap.put(m.data.subarray(s0 * step * cols, (s0 * step + rows) * cols));
        exports.welchAccumulate(pX, cols, isF32, nperseg, step, count, pWin, detrend, pTw, pRev, pBuf, pAcc);
      });
    }
    const out = heap.f64(pAcc, nfreq * cols).slice();
    for (let i = 0; i < out.length; i++) out[i] /= nseg;
    return out;
  });
}

/** The same average (mean or bias-corrected median) one segment at a time through fft(). */
function welchSegments<T extends FloatArray>(m: Matrix<T>, sg: Segmenting, average: 'mean' | 'median'): Float64Array {
  const { nperseg, step, nseg, win, detrend } = sg;
  const { cols } = m;
  const nfreq = Math.floor(nperseg / 2) + 1;
  const pxx = new Float64Array(nfreq * cols);
  const perSeg = new Float64Array(nseg * nfreq);
  const buf = new Float64Array(2 * nperseg);
  const seg = new Float64Array(nperseg);
  for (let c = 0; c < cols; c++) {
    for (let s = 0; s < nseg; s++) {
      for (let i = 0; i < nperseg; i++) seg[i] = m.data[(s * step + i) * cols + c];
      if (detrend) removeTrend(seg, detrend);
      for (let i = 0; i < nperseg; i++) {
        buf[2 * i] = seg[i] * win[i];
        buf[2 * i + 1] = 0;
      }
      fft(buf, nperseg);
      for (let k = 0; k < nfreq; k++) perSeg[s * nfreq + k] = buf[2 * k] ** 2 + buf[2 * k + 1] ** 2;
    }
    for (let k = 0; k < nfreq; k++) {
      const vals = Array.from({ length: nseg }, (_, s) => perSeg[s * nfreq + k]);
      pxx[k * cols + c] = average === 'mean' ? vals.reduce((a, b) => a + b, 0) / nseg : median(vals) / medianBias(nseg);
    }
  }
  return pxx;
}

function removeTrend(seg: Float64Array, type: 'constant' | 'linear'): void {
  const n = seg.length;
  const mean = seg.reduce((a, b) => a + b, 0) / n;
  if (type === 'constant') {
    for (let i = 0; i < n; i++) seg[i] -= mean;
    return;
  }
  const tMean = (n - 1) / 2;
  let num = 0,
    den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - tMean) * (seg[i] - mean);
    den += (i - tMean) ** 2;
  }
  const slope = den === 0 ? 0 : num / den;
  for (let i = 0; i < n; i++) seg[i] -= mean + slope * (i - tMean);
}

/** scipy's _median_bias: the median of n chi²(2)/2 draws is biased low by this factor. */
function medianBias(n: number): number {
  let b = 1;
  for (let i = 1; i <= (n - 1) / 2; i++) b += 1 / (2 * i + 1) - 1 / (2 * i);
  return b;
}
