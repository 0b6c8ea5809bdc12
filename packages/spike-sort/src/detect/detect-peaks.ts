import { ParameterError, checkChoice, checkNumber, type Matrix } from '@spyglass-wasm/core';

/** A detected spike: where, on which channel it peaked, and how large. */
export interface Peak {
  /** Sample index of the peak (integer) and its sub-sample position. */
  sample: number;
  time: number;
  channel: number;
  /** Peak value in noise units (negative for negative spikes). */
  z: number;
}

export interface DetectOptions {
  /** Noise level per channel (same units as the data), e.g. madNoiseLevel. */
  noise: ArrayLike<number>;
  /** Threshold in noise units (default 5). */
  threshold?: number;
  /** 'neg' (default), 'pos' or 'both'. */
  sign?: 'neg' | 'pos' | 'both';
  /** A peak must be the extreme within ±radius samples on all channels of the group (default 15 = 0.5 ms at 30 kHz). */
  sweep?: number;
  /** Skip peaks this close to either end, so full snippets exist (default 0). */
  margin?: number;
}

/**
 * Threshold detection on filtered (time × channels) data: a sample is a spike when its value on
 * some channel crosses `threshold` noise units and it is the extreme, in noise units, of every
 * channel within ±sweep samples (local-maximum exclusion in time and across the group's channels).
 * The peak position is refined to a fraction of a sample by a parabola through its neighbours.
 */
export function detectPeaks(x: Matrix<Float32Array | Float64Array>, options: DetectOptions): Peak[] {
  const { data, rows, cols } = x;
  if (options.noise.length !== cols) throw new ParameterError('noise', `one noise level per channel (${cols})`, options.noise.length);
  const thr = checkNumber('threshold', options.threshold ?? 5, { min: 0, exclusiveMin: true });
  const sign = checkChoice('sign', options.sign ?? 'neg', ['neg', 'pos', 'both'] as const);
  const sweep = checkNumber('sweep', options.sweep ?? 15, { min: 0, integer: true });
  const margin = checkNumber('margin', options.margin ?? 0, { min: 0, integer: true });
  const inv = Array.from(options.noise, (n) => 1 / n);
  const s = sign === 'pos' ? 1 : -1;
  // Per-sample strongest deflection across channels, in noise units (oriented so larger = stronger).
  const best = new Float64Array(rows);
  const bestCh = new Int32Array(rows);
  for (let t = 0; t < rows; t++) {
    let v = -Infinity, ch = 0;
    for (let c = 0; c < cols; c++) {
      const raw = data[t * cols + c] * inv[c];
      const z = sign === 'both' ? Math.abs(raw) : s * raw;
      if (z > v) {
        v = z;
        ch = c;
      }
    }
    best[t] = v;
    bestCh[t] = ch;
  }
  const peaks: Peak[] = [];
  for (let t = Math.max(1, margin); t < rows - Math.max(1, margin); t++) {
    const v = best[t];
    if (!(v >= thr)) continue;
    let isPeak = true;
    for (let u = Math.max(0, t - sweep); u <= Math.min(rows - 1, t + sweep) && isPeak; u++) {
      if (best[u] > v || (best[u] === v && u < t)) isPeak = false;
    }
    if (!isPeak) continue;
    const c = bestCh[t];
    const y0 = data[(t - 1) * cols + c], y1 = data[t * cols + c], y2 = data[(t + 1) * cols + c];
    const denom = y0 - 2 * y1 + y2;
    const delta = denom !== 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / denom)) : 0;
    peaks.push({ sample: t, time: t + delta, channel: c, z: data[t * cols + c] * inv[c] });
  }
  return peaks;
}
