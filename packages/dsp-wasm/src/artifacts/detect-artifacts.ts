import {
  ParameterError,
  checkChoice,
  checkNumber,
  subtractIntervals,
  toMatrix,
  validIntervalsFromTimes,
  type FloatArray,
  type Interval,
  type MatrixInput,
} from '@spyglass-wasm/core';
import { sampleTimes } from '../events/blocks.js';
import { median } from '@spyglass-wasm/core';

export interface ArtifactOptions {
  /** Sampling rate, Hz. */
  fs: number;
  /** Sample times (seconds); default startTime + i / fs. */
  time?: ArrayLike<number>;
  startTime?: number;
  /** 'difference' (Spyglass's default_difference) or 'mad' (default_mad). */
  method?: 'difference' | 'mad';
  /**
   * difference: change summed over 15 consecutive differences (3 if referenced) above this, in the
   * data's units (default 500; Spyglass applies it to the LFP as stored, usually integer AD units).
   */
  amplitudeThreshold?: number;
  /** difference: fraction of channels that must cross amplitudeThreshold (default 0.1). */
  proportionAboveAmplitude?: number;
  /** difference: local max − min within ±localWindowMs/2 above this (default 1000); null skips. */
  baselineThreshold?: number | null;
  /** difference: fraction of channels that must cross baselineThreshold (default 0.05). */
  proportionAboveBaseline?: number;
  /** difference: local window, ms (default 40). */
  localWindowMs?: number;
  /** difference: data is referenced (3-sample change window instead of 15). */
  referenced?: boolean;
  /** mad: |x − median| / (1.4826·MAD) above this (default 6), per channel. */
  madThreshold?: number;
  /** mad: the fraction of channels crossing it must exceed this (default 0.1). */
  proportionAboveMad?: number;
  /** Width of the window removed around each artifact sample, ms (default 10). */
  removalWindowMs?: number;
}

/** Artifact intervals (with their removal windows) and the valid times that remain. */
export interface ArtifactResult {
  artifactTimes: Interval[];
  validTimes: Interval[];
  /** Sample indices flagged as artifacts. */
  artifactSamples: Int32Array;
}

/**
 * LFP artifact detection as Spyglass's LFPArtifactDetection. 'difference': samples where the
 * change over a short window exceeds amplitudeThreshold on enough channels and the local
 * peak-to-peak exceeds baselineThreshold on enough channels (counts ≥ ceil(proportion × channels)).
 * 'mad': samples whose deviation from the channel median exceeds madThreshold normal-scaled MADs
 * on more than proportionAboveMad of the channels. Each flagged sample removes ±removalWindowMs/2;
 * valid times are the recording's gap-free intervals (steps ≤ 1.5 / fs) minus those. NaN samples
 * never count as crossings and are ignored in the MAD statistics.
 *
 * @example
 * const { validTimes } = detectLfpArtifacts(lfpMicrovolts, { fs: 1000 });
 */
export function detectLfpArtifacts<T extends FloatArray>(x: MatrixInput<T>, options: ArtifactOptions): ArtifactResult {
  const m = toMatrix(x, 'x');
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  const method = checkChoice('method', options.method ?? 'difference', ['difference', 'mad'] as const);
  const time = sampleTimes(m.rows, options);
  const removal = checkNumber('removalWindowMs', options.removalWindowMs ?? 10, { min: 0 }) / 1000;
  if (m.rows === 0) throw new ParameterError('x', 'at least one sample', 0);
  const flagged = method === 'difference' ? differenceFrames(m, options) : madFrames(m, options);
  const artifactTimes = removalIntervals(flagged, time, removal / 2);
  let recording: Interval[];
  try {
    recording = validIntervalsFromTimes(time, { maxGap: 1.5 / fs });
  } catch (cause) {
    throw new ParameterError('time', 'strictly increasing sample times', (cause as Error).message);
  }
  const validTimes = subtractIntervals(recording, artifactTimes);
  return { artifactTimes, validTimes, artifactSamples: flagged };
}

/**
 * ±half around each flagged sample, merged (Spyglass: runs of frames → [t_first − half, t_last +
 * half], then their union). Windows that touch to within 1 ns merge, so rounding in the sample
 * times cannot split one artifact in two.
 */
function removalIntervals(flagged: Int32Array, time: ArrayLike<number>, half: number): Interval[] {
  const out: [number, number][] = [];
  for (const i of flagged) {
    const s = time[i] - half,
      e = time[i] + half;
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1e-9) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

const proportion = (name: string, v: number | undefined, dflt: number) =>
  checkNumber(name, v ?? dflt, { min: 0, max: 1, exclusiveMin: true });

function differenceFrames(m: { data: FloatArray; rows: number; cols: number }, o: ArtifactOptions): Int32Array {
  const { data, rows, cols } = m;
  const amp = checkNumber('amplitudeThreshold', o.amplitudeThreshold ?? 500, { min: 0 });
  const need1 = Math.ceil(proportion('proportionAboveAmplitude', o.proportionAboveAmplitude, 0.1) * cols);
  const base =
    o.baselineThreshold === null ? null : checkNumber('baselineThreshold', o.baselineThreshold ?? 1000, { min: 0 });
  const need2 = Math.ceil(proportion('proportionAboveBaseline', o.proportionAboveBaseline, 0.05) * cols);
  const half = Math.floor((checkNumber('localWindowMs', o.localWindowMs ?? 40, { min: 0 }) / 2000) * o.fs);
  const width = o.referenced ? 1 : 7; // the change is summed over 2·width + 1 consecutive differences
  const out: number[] = [];
  for (let t = 0; t < rows - 1; t++) {
    // frame t is difference t (x[t + 1] − x[t]), as Spyglass's np.diff; Σ of diffs over [t − width, t + width]
    // telescopes to x[b] − x[a] within the signal.
    const a = Math.max(0, t - width),
      b = Math.min(rows - 1, t + width + 1);
    let count = 0;
    for (let c = 0; c < cols; c++) if (Math.abs(data[b * cols + c] - data[a * cols + c]) > amp) count++;
    if (count < need1) continue;
    if (base !== null) {
      let big = 0;
      const lo = Math.max(0, t - half),
        hi = Math.min(rows, t + half);
      for (let c = 0; c < cols; c++) {
        let mn = Infinity,
          mx = -Infinity;
        for (let r = lo; r < hi; r++) {
          const v = data[r * cols + c];
          if (v < mn) mn = v;
          if (v > mx) mx = v;
        }
        if (hi > lo && mx - mn > base) big++;
      }
      if (big < need2) continue;
    }
    out.push(t);
  }
  return Int32Array.from(out);
}

function madFrames(m: { data: FloatArray; rows: number; cols: number }, o: ArtifactOptions): Int32Array {
  const { data, rows, cols } = m;
  const thr = checkNumber('madThreshold', o.madThreshold ?? 6, { min: 0, exclusiveMin: true });
  const p = checkNumber('proportionAboveMad', o.proportionAboveMad ?? 0.1, { min: 0, max: 1 });
  // scipy.stats.median_abs_deviation(scale='normal', nan_policy='omit'): the MAD in units of a Gaussian σ
  const med = new Float64Array(cols),
    sigma = new Float64Array(cols);
  const col: number[] = [];
  for (let c = 0; c < cols; c++) {
    col.length = 0;
    for (let r = 0; r < rows; r++) if (!Number.isNaN(data[r * cols + c])) col.push(data[r * cols + c]);
    med[c] = median(col);
    sigma[c] = median(col.map((v) => Math.abs(v - med[c]))) / 0.6744897501960817;
  }
  const out: number[] = [];
  for (let t = 0; t < rows; t++) {
    let count = 0;
    for (let c = 0; c < cols; c++) if (Math.abs(data[t * cols + c] - med[c]) / sigma[c] > thr) count++;
    // Spyglass: the fraction of channels above the threshold must exceed the proportion
    if (count / cols > p) out.push(t);
  }
  return Int32Array.from(out);
}
