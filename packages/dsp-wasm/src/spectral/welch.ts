import {
  ParameterError,
  checkChoice,
  checkNumber,
  type FloatArray,
  type MatrixInput,
  median,
} from '@spyglass-wasm/core';
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
      for (let k = 0; k < nfreq; k++) {
        let p = (buf[2 * k] ** 2 + buf[2 * k + 1] ** 2) * scale;
        if (k > 0 && !(nperseg % 2 === 0 && k === nfreq - 1)) p *= 2; // one-sided
        perSeg[s * nfreq + k] = p;
      }
    }
    for (let k = 0; k < nfreq; k++) {
      const vals = Array.from({ length: nseg }, (_, s) => perSeg[s * nfreq + k]);
      pxx[k * cols + c] = average === 'mean' ? vals.reduce((a, b) => a + b, 0) / nseg : median(vals) / medianBias(nseg);
    }
  }
  const f = Float64Array.from({ length: nfreq }, (_, k) => (k * fs) / nperseg);
  return { f, pxx, cols };
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
