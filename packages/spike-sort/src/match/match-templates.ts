import { StagedProgress, type Matrix } from '@spyglass-wasm/core';
import { detectPeaks, parabolicOffset, type Peak } from '../detect/detect-peaks.js';
import { catmullRom } from '../features/snippets.js';

/** Unit templates in the filtered (µV) and whitened spaces: units × length × channels, aligned at `before`. */
export interface TemplateSet {
  filtered: Float32Array;
  whitened: Float32Array;
  units: number;
  length: number;
  channels: number;
  before: number;
  /** Per unit, the amplitude scales (relative to the template) its spikes can have: [lo, hi] pairs. */
  scaleRange?: Float64Array;
}

export interface MatchOptions {
  /** Noise level per channel of the filtered data, and the detection threshold in those units. */
  noise: ArrayLike<number>;
  threshold: number;
  /** Detection exclusion radius, samples, and per channel its neighbours (default: all channels). */
  sweep: number;
  neighbours?: readonly (readonly number[])[];
  /** Template positions tried around each detection, ± samples (default 3). */
  maxShift?: number;
  /** Detect–match–subtract rounds (default 3): each round finds spikes the last one uncovered. */
  passes?: number;
  /** Only matches whose spike time falls in [from, to) samples are reported (chunk cores; default all). */
  report?: readonly [number, number];
  /** Called with the fraction done (0..1) from inside the loops, every few hundred detections. */
  onProgress?: (fraction: number) => void;
}

// Detections fitted between two progress reports: a few ms of work, so a report well within a second.
const PROGRESS_EVERY = 256;

/** Spikes found by template matching, in time order, and detections no template explains. */
export interface Matches {
  /** Spike times, samples (sub-sample), of the unit's own peak. */
  times: Float64Array;
  units: Int32Array;
  scales: Float32Array;
  unmatched: Peak[];
}

/**
 * Template matching with subtraction (peeling): detect on the residual, fit every unit's template
 * at small shifts around each detection (largest first), keep the unit that best explains it at its
 * own amplitude (if the fitted amplitude is one the unit has), subtract the fit from the residual,
 * and detect again. A collision of two
 * units is one detection in the raw data; after the larger spike is subtracted the smaller one is a
 * detection of its own, so both are found, which clustering of one snippet per detection cannot do.
 * Works in place on copies of `x` (filtered, for detection) and `w` (whitened, for fitting).
 */
export function matchTemplates(
  x: Matrix<Float32Array | Float64Array>,
  w: Matrix<Float32Array | Float64Array>,
  templates: TemplateSet,
  options: MatchOptions,
): Matches {
  const { units, length, channels: C, before } = templates;
  const rows = x.rows;
  const rx = Float32Array.from(x.data),
    rw = Float32Array.from(w.data);
  const residual = { data: rx, rows, cols: C };
  const maxShift = options.maxShift ?? 3;
  const [from, to] = options.report ?? [0, rows];
  const dim = length * C;
  const norms = new Float64Array(units);
  for (let u = 0; u < units; u++) for (let j = 0; j < dim; j++) norms[u] += templates.whitened[u * dim + j] ** 2;
  // each unit's amplitude range, read once (the loop below runs per detection and unit)
  const los = Float64Array.from({ length: units }, (_, u) => scaleBounds(templates, u)[0]),
    his = Float64Array.from({ length: units }, (_, u) => scaleBounds(templates, u)[1]);
  const margin = before + maxShift + 2;
  const found: { time: number; unit: number; scale: number }[] = [];
  const rejected: Peak[] = [];
  const rejectedAt = new Set<number>();
  const corr = new Float64Array(2 * maxShift + 1);
  /**
   * Unit u's fit at sample `at`, moved to the vertex of a parabola through the correlations at at−1, at, at+1 (when it
   * opens down).
   */
  const refine = (at: number, u: number) => {
    const o = (at - before) * C;
    const c0 = dot(rw, o - C, templates.whitened, u * dim, dim),
      c1 = dot(rw, o, templates.whitened, u * dim, dim),
      c2 = dot(rw, o + C, templates.whitened, u * dim, dim);
    return { time: at + (c0 - 2 * c1 + c2 < 0 ? parabolicOffset(c0, c1, c2) : 0), centre: c1 };
  };
  const detect = {
    noise: options.noise,
    threshold: options.threshold,
    sweep: options.sweep,
    neighbours: options.neighbours,
    margin: Math.max(margin, length - before + maxShift + 2),
  };
  // After the first pass, the residual differs from the last pass's only where it subtracted: a peak
  // anywhere else was a peak then, and was rejected (skipped below), so only those rows ± sweep are read again.
  let changed: [number, number][] | undefined;
  const passes = options.passes ?? 3;
  // the detect–fit passes are most of the work, the refit of every spike the rest
  const stages = new StagedProgress(options.onProgress, { passes: 17, refit: 3 });
  const progress = stages.stage('passes');
  for (let pass = 0; pass < passes; pass++) {
    const detected = changed
      ? spans(changed, options.sweep).flatMap((span) => detectPeaks(residual, { ...detect, rows: span }))
      : detectPeaks(residual, detect);
    changed = [];
    const peaks = detected.filter((p) => !rejectedAt.has(p.sample)).sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
    let accepted = 0;
    for (let i = 0; i < peaks.length; i++) {
      const p = peaks[i];
      if (i % PROGRESS_EVERY === 0) progress((pass + i / peaks.length) / passes);
      // An earlier, larger subtraction in this round may have explained this event already.
      if (Math.abs(rx[p.sample * C + p.channel] / options.noise[p.channel]) < options.threshold) continue;
      let best = -1,
        bestScore = 0,
        bestShift = 0,
        bestScale = 0;
      const first = (p.sample - maxShift - before) * C;
      for (let u = 0; u < units; u++) {
        if (!(norms[u] > 0)) continue;
        correlations(rw, first, C, templates.whitened, u * dim, dim, corr);
        const lo = los[u],
          hi = his[u];
        for (let s = -maxShift; s <= maxShift; s++) {
          const scale = corr[s + maxShift] / norms[u];
          if (scale < lo || scale > hi) continue;
          // Units compete at their own amplitude (residual energy removed by T itself, 2⟨r,T⟩ − ‖T‖²):
          // with a free amplitude, a large unit would take a smaller unit's spikes of the same shape.
          const score = 2 * corr[s + maxShift] - norms[u];
          if (score > bestScore) {
            bestScore = score;
            best = u;
            bestShift = s;
            bestScale = scale;
          }
        }
      }
      if (best < 0) {
        rejected.push(p);
        rejectedAt.add(p.sample);
        continue;
      }
      const { time } = refine(p.sample + bestShift, best);
      subtractShifted(rx, templates.filtered, best * dim, time - before, length, C, bestScale, rows);
      changed.push([Math.ceil(time - before) - 1, Math.ceil(time - before) + length]);
      subtractShifted(rw, templates.whitened, best * dim, time - before, length, C, bestScale, rows);
      found.push({ time, unit: best, scale: bestScale });
      accepted++;
    }
    if (accepted === 0) break;
  }
  // Greedy fits of overlapping spikes are biased by each other: refit each spike (same unit) with
  // the others already subtracted, once over all spikes (the
  // filtered residual is no longer needed: detection is done).
  const refitProgress = stages.stage('refit');
  for (let i = 0; i < found.length; i++) {
    const f = found[i];
    if (i % PROGRESS_EVERY === 0) refitProgress(i / found.length);
    const u = f.unit;
    subtractShifted(rw, templates.whitened, u * dim, f.time - before, length, C, -f.scale, rows);
    const at = Math.round(f.time);
    let bestS = 0,
      bestC = -Infinity;
    for (let s = -2; s <= 2; s++) {
      const c = dot(rw, (at + s - before) * C, templates.whitened, u * dim, dim);
      if (c > bestC) {
        bestC = c;
        bestS = s;
      }
    }
    const { time, centre } = refine(at + bestS, u);
    const [lo, hi] = scaleBounds(templates, u);
    const scale = Math.max(lo, Math.min(hi, centre / norms[u]));
    subtractShifted(rw, templates.whitened, u * dim, time - before, length, C, scale, rows);
    f.time = time;
    f.scale = scale;
  }
  stages.done();
  const kept = found.filter((f) => f.time >= from && f.time < to).sort((a, b) => a.time - b.time);
  return {
    times: Float64Array.from(kept, (f) => f.time),
    units: Int32Array.from(kept, (f) => f.unit),
    scales: Float32Array.from(kept, (f) => f.scale),
    unmatched: rejected.filter((p) => p.time >= from && p.time < to).sort((a, b) => a.time - b.time),
  };
}

/**
 * corr[s] = Σ_j a[offset + s·C + j] · b[bOffset + j] for s = 0 … corr.length − 1 (the template at
 * consecutive sample shifts), each sum in index order as `dot` does, so the values are the same;
 * several shifts share each pass over the template (all seven of the default ±3).
 */
function correlations(
  a: Float32Array,
  offset: number,
  C: number,
  b: Float32Array,
  bOffset: number,
  n: number,
  corr: Float64Array,
): void {
  const shifts = corr.length;
  let s = 0;
  if (shifts === 7) {
    // The default ±3 shifts in one pass.
    const o0 = offset,
      o1 = o0 + C,
      o2 = o1 + C,
      o3 = o2 + C,
      o4 = o3 + C,
      o5 = o4 + C,
      o6 = o5 + C;
    let c0 = 0,
      c1 = 0,
      c2 = 0,
      c3 = 0,
      c4 = 0,
      c5 = 0,
      c6 = 0;
    for (let j = 0; j < n; j++) {
      const t = b[bOffset + j];
      c0 += a[o0 + j] * t;
      c1 += a[o1 + j] * t;
      c2 += a[o2 + j] * t;
      c3 += a[o3 + j] * t;
      c4 += a[o4 + j] * t;
      c5 += a[o5 + j] * t;
      c6 += a[o6 + j] * t;
    }
    corr[0] = c0;
    corr[1] = c1;
    corr[2] = c2;
    corr[3] = c3;
    corr[4] = c4;
    corr[5] = c5;
    corr[6] = c6;
    return;
  }
  for (; s + 4 <= shifts; s += 4) {
    const o0 = offset + s * C,
      o1 = o0 + C,
      o2 = o1 + C,
      o3 = o2 + C;
    let c0 = 0,
      c1 = 0,
      c2 = 0,
      c3 = 0;
    for (let j = 0; j < n; j++) {
      const t = b[bOffset + j];
      c0 += a[o0 + j] * t;
      c1 += a[o1 + j] * t;
      c2 += a[o2 + j] * t;
      c3 += a[o3 + j] * t;
    }
    corr[s] = c0;
    corr[s + 1] = c1;
    corr[s + 2] = c2;
    corr[s + 3] = c3;
  }
  for (; s < shifts; s++) corr[s] = dot(a, offset + s * C, b, bOffset, n);
}

function dot(a: Float32Array, offset: number, b: Float32Array, bOffset: number, n: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += a[offset + j] * b[bOffset + j];
  return s;
}

/** r[start + k] −= scale · template(k) for a fractional start, the template moved by cubic interpolation. */
function subtractShifted(
  r: Float32Array,
  t: Float32Array,
  offset: number,
  start: number,
  length: number,
  C: number,
  scale: number,
  rows: number,
): void {
  const base = Math.ceil(start);
  const f = base - start; // the template is sampled at k + f
  const at = (k: number, c: number) => (k < 0 || k >= length ? 0 : t[offset + k * C + c]);
  const edge = (k: number) => {
    const row = base + k;
    if (row < 0 || row >= rows) return;
    for (let c = 0; c < C; c++) {
      r[row * C + c] -=
        scale * (f === 0 ? at(k, c) : catmullRom(at(k - 1, c), at(k, c), at(k + 1, c), at(k + 2, c), f));
    }
  };
  // Rows k = 1 … length − 3 read only template samples inside it: direct offsets, the same
  // arithmetic as catmullRom; the two rows either side go through the bounds-checked path.
  const lo = Math.max(1, -base),
    hi = Math.min(length - 3, rows - 1 - base);
  for (let k = -1; k < Math.min(lo, length); k++) edge(k);
  if (f === 0) {
    for (let k = lo; k <= hi; k++) {
      const ri = (base + k) * C,
        ti = offset + k * C;
      for (let c = 0; c < C; c++) r[ri + c] -= scale * t[ti + c];
    }
  } else {
    for (let k = lo; k <= hi; k++) {
      const ri = (base + k) * C,
        ti = offset + k * C;
      for (let c = 0; c < C; c++) {
        const a = ti + c;
        r[ri + c] -= scale * catmullRom(t[a - C], t[a], t[a + C], t[a + 2 * C], f);
      }
    }
  }
  for (let k = Math.max(hi + 1, lo); k < length; k++) edge(k);
}

/** Sample spans whose peaks can differ when rows [a, b) changed (± sweep), sorted and merged. */
function spans(changed: [number, number][], sweep: number): [number, number][] {
  const sorted = changed.map(([a, b]): [number, number] => [a - sweep, b + sweep]).sort((p, q) => p[0] - q[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The amplitude scales unit u's spikes may have (its learned range, else 0.5–2). */
function scaleBounds(templates: TemplateSet, u: number): [number, number] {
  return [templates.scaleRange?.[2 * u] ?? 0.5, templates.scaleRange?.[2 * u + 1] ?? 2];
}
