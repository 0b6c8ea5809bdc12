import { ParameterError, checkChoice, checkNumber, checkOptionNames, toMatrix, type Matrix } from '@spyglass-wasm/core';

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
  /**
   * Per channel, the channels within the exclusion radius (itself included), e.g. from electrode
   * positions (`neighboursWithin`). Default: every channel of the group (a tetrode). On a probe
   * shank, two units far apart firing together are two spikes, not one.
   */
  neighbours?: readonly (readonly number[])[];
  /**
   * Only peaks at samples in [from, to) (default all): the same peaks as a detection over all the
   * data, found by reading only these rows and `sweep` + 1 either side (template matching re-detects
   * only where it subtracted).
   */
  rows?: readonly [number, number];
}

/** Rows of a long span detected at a time (the strongest deflection per row is kept for these only). */
const BLOCK_ROWS = 1 << 16;

/**
 * Threshold detection on filtered (time × channels) data: a sample is a spike when its value on
 * some channel crosses `threshold` noise units and it is the extreme, in noise units, of every
 * channel within ±sweep samples (local-maximum exclusion in time and across the group's channels).
 * The peak position is refined to a fraction of a sample by a parabola through its neighbours.
 */
export function detectPeaks(x: Matrix<Float32Array | Float64Array>, options: DetectOptions): Peak[] {
  return peakDetector(x, options)(options.rows);
}

/**
 * detectPeaks with its options checked once (template matching detects again in many short spans):
 * `detector(rows)` gives detectPeaks(x, { ...options, rows }).
 */
export function peakDetector(
  x: Matrix<Float32Array | Float64Array>,
  options: Omit<DetectOptions, 'rows'>,
): (rows?: readonly [number, number]) => Peak[] {
  const { data, rows, cols } = x;
  if (options.noise.length !== cols)
    throw new ParameterError('noise', `one noise level per channel (${cols})`, options.noise.length);
  const thr = checkNumber('threshold', options.threshold ?? 5, { min: 0, exclusiveMin: true });
  const sign = checkChoice('sign', options.sign ?? 'neg', ['neg', 'pos', 'both'] as const);
  const sweep = checkNumber('sweep', options.sweep ?? 15, { min: 0, integer: true });
  const margin = checkNumber('margin', options.margin ?? 0, { min: 0, integer: true });
  const inv = Array.from(options.noise, (n) => 1 / n);
  const s = sign === 'pos' ? 1 : -1;
  const detect = (span?: readonly [number, number]): Peak[] => {
    // samples [first, end) may be peaks; rows [lo, hi) are all a decision about them reads
    const first = Math.max(1, margin, span?.[0] ?? 0),
      end = Math.min(rows - Math.max(1, margin), span?.[1] ?? rows);
    if (options.neighbours) return detectLocal(x, options.neighbours, inv, thr, sign, sweep, [first, end]);
    if (end - first > BLOCK_ROWS) return inBlocks(first, end);
    const lo = Math.max(0, first - sweep),
      hi = Math.min(rows, end + sweep);
    // Per-sample strongest deflection across channels, in noise units (oriented so larger = stronger), from row lo.
    const best = new Float64Array(Math.max(0, hi - lo));
    const bestCh = new Int32Array(best.length);
    if (cols === 4 && sign !== 'both') strongestOfFour(data, lo, hi, inv, s, best, bestCh);
    else
      for (let t = lo; t < hi; t++) {
        let v = -Infinity,
          ch = 0;
        for (let c = 0; c < cols; c++) {
          const raw = data[t * cols + c] * inv[c];
          const z = sign === 'both' ? Math.abs(raw) : s * raw;
          if (z > v) {
            v = z;
            ch = c;
          }
        }
        best[t - lo] = v;
        bestCh[t - lo] = ch;
      }
    const peaks: Peak[] = [];
    for (let t = first; t < end; t++) {
      const v = best[t - lo];
      if (!(v >= thr)) continue;
      let isPeak = true;
      for (let u = Math.max(0, t - sweep); u <= Math.min(rows - 1, t + sweep) && isPeak; u++) {
        if (best[u - lo] > v || (best[u - lo] === v && u < t)) isPeak = false;
      }
      if (!isPeak) continue;
      const c = bestCh[t - lo];
      peaks.push(peakAt(data, cols, inv, t, c));
    }
    return peaks;
  };
  // A decision about sample t reads rows t ± sweep only, so blocks find the peaks one span would,
  // with per-row arrays that stay in cache instead of one the length of the recording.
  const inBlocks = (first: number, end: number): Peak[] => {
    const peaks: Peak[] = [];
    for (let a = first; a < end; a += BLOCK_ROWS)
      for (const p of detect([a, Math.min(end, a + BLOCK_ROWS)])) peaks.push(p);
    return peaks;
  };
  return detect;
}

/**
 * The loop above for a tetrode with one sign, unrolled: the same products and the same first-wins
 * comparisons in channel order (NaN never wins, and -Infinity stays with channel 0), so the same
 * values; one pass with no inner loop over channels.
 */
function strongestOfFour(
  data: Float32Array | Float64Array,
  lo: number,
  hi: number,
  inv: number[],
  s: number,
  best: Float64Array,
  bestCh: Int32Array,
): void {
  const [i0, i1, i2, i3] = inv;
  for (let t = lo, o = lo * 4; t < hi; t++, o += 4) {
    let v = -Infinity,
      ch = 0;
    const z0 = s * (data[o] * i0),
      z1 = s * (data[o + 1] * i1),
      z2 = s * (data[o + 2] * i2),
      z3 = s * (data[o + 3] * i3);
    if (z0 > v) v = z0;
    if (z1 > v) {
      v = z1;
      ch = 1;
    }
    if (z2 > v) {
      v = z2;
      ch = 2;
    }
    if (z3 > v) {
      v = z3;
      ch = 3;
    }
    best[t - lo] = v;
    bestCh[t - lo] = ch;
  }
}

/** Detection with exclusion over each channel's neighbours only. */
function detectLocal(
  x: Matrix<Float32Array | Float64Array>,
  neighbours: readonly (readonly number[])[],
  inv: number[],
  thr: number,
  sign: 'neg' | 'pos' | 'both',
  sweep: number,
  [first, end]: readonly [number, number],
): Peak[] {
  const { data, rows, cols } = x;
  if (neighbours.length !== cols)
    throw new ParameterError(
      'neighbours',
      `one list of neighbouring channels per channel (${cols})`,
      neighbours.length,
    );
  const s = sign === 'pos' ? 1 : -1;
  const z = (t: number, c: number) =>
    sign === 'both' ? Math.abs(data[t * cols + c] * inv[c]) : s * data[t * cols + c] * inv[c];
  const peaks: Peak[] = [];
  for (let t = first; t < end; t++) {
    for (let c = 0; c < cols; c++) {
      const v = z(t, c);
      if (!(v >= thr)) continue;
      let isPeak = true;
      for (let u = Math.max(0, t - sweep); u <= Math.min(rows - 1, t + sweep) && isPeak; u++)
        for (const n of neighbours[c]) {
          const w = z(u, n);
          // Ties go to the earlier sample, then the lower channel, so a spike is one peak.
          if (w > v || (w === v && (u < t || (u === t && n < c)))) {
            isPeak = false;
            break;
          }
        }
      if (!isPeak) continue;
      peaks.push(peakAt(data, cols, inv, t, c));
    }
  }
  return peaks;
}

/**
 * Channels within `radius` (µm) of each channel, from electrode positions (channels × coordinates,
 * µm; any number of coordinates per electrode), for `detectPeaks`'s `neighbours`.
 *
 * @example
 * const positions = { data: Float64Array.of(0, 0, 0, 25, 0, 200), rows: 3, cols: 2 };
 * neighboursWithin(positions, { radius: 100 }); // [[0, 1], [0, 1], [2]]
 */
export function neighboursWithin(positions: Matrix<Float64Array>, options: { radius: number }): number[][] {
  checkOptionNames('neighboursWithin', options, ['radius']);
  const r = checkNumber('radius', options?.radius, { min: 0 });
  const { data, rows, cols } = toMatrix(positions, 'positions');
  const distance = (a: number, b: number) => {
    let s = 0;
    for (let k = 0; k < cols; k++) s += (data[a * cols + k] - data[b * cols + k]) ** 2;
    return Math.sqrt(s);
  };
  return Array.from({ length: rows }, (_, a) =>
    Array.from({ length: rows }, (_, b) => b).filter((b) => distance(a, b) <= r),
  );
}

/** The peak at sample t of channel c, its time refined by a parabola through its neighbours. */
function peakAt(data: ArrayLike<number>, cols: number, inv: number[], t: number, c: number): Peak {
  const y0 = data[(t - 1) * cols + c],
    y1 = data[t * cols + c],
    y2 = data[(t + 1) * cols + c];
  return { sample: t, time: t + parabolicOffset(y0, y1, y2), channel: c, z: y1 * inv[c] };
}

/**
 * Where the parabola through (−1, y0), (0, y1), (1, y2) has its vertex, clamped to ±0.5 (0 when the
 * three lie on a line).
 */
export function parabolicOffset(y0: number, y1: number, y2: number): number {
  const denom = y0 - 2 * y1 + y2;
  return denom !== 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / denom)) : 0;
}
