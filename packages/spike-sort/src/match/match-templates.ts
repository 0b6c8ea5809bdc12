import { checkNumber, StagedProgress, type Matrix } from '@spyglass-wasm/core';
import { parabolicOffset, peakDetector, type Peak } from '../detect/detect-peaks.js';
import { catmullRom } from '../features/snippets.js';
import { spikeSortKernels } from '../wasm/kernels.js';

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
  /**
   * Leave a detection unexplained when a unit whose fit falls below its amplitude range would, at
   * the least amplitude it has, remove more of it than the winning unit does at its fitted
   * amplitude, by more than 3 noise SDs of that difference (default false). A small unit's range
   * is wide (its fits are noisy), so without this it takes a larger unit's spikes that an
   * overlapping spike shrank below that unit's range. For templates whose ranges come from matched
   * spikes (sortGroup's matching), not learning's first clusters (not yet split by amplitude).
   */
  belowRange?: boolean;
  /** Detect–match–subtract rounds (default 3): each round finds spikes the last one uncovered. */
  passes?: number;
  /** Only matches whose spike time falls in [from, to) samples are reported (chunk cores; default all). */
  report?: readonly [number, number];
  /**
   * The recording's row where `x` begins (default 0): sub-sample times are summed at the
   * recording's sample numbers, then moved to `x`'s (exactly), so a span of a recording gives the
   * same bits as the whole would (`sortGroupOnPool`). Times are still reported relative to `x`.
   */
  origin?: number;
  /** Called with the fraction done (0..1) from inside the loops, every few hundred detections. */
  onProgress?: (fraction: number) => void;
}

/**
 * `belowRange`: how many noise SDs more a unit below its range must remove than the winner does.
 * The two removals differ by 2⟨noise, D⟩ + const (D: the difference of the two fitted waveforms,
 * whitened: unit noise per value), whose SD is 2‖D‖; a smaller unit of a larger one's shape would
 * otherwise lose its own spikes to it whenever the noise favours the larger.
 */
const BELOW_RANGE_SDS = 3;

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
 * own amplitude (if the fitted amplitude is one the unit has; with `belowRange`, none when a unit
 * fitted below its range explains the detection better), subtract the fit from the residual,
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
  // the templates and the correlation scratch live in Wasm memory for this call
  return spikeSortKernels.get().heap.scoped(() => peel(x, w, templates, options));
}

/** matchTemplates's detect–fit–subtract passes and refit (inside a heap scope). */
function peel(
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
  const belowRange = options.belowRange ?? false;
  const below = new Float64Array(templates.units),
    belowShift = new Int32Array(templates.units);
  const [from, to] = options.report ?? [0, rows];
  const origin = checkNumber('origin', options.origin ?? 0, { min: 0, integer: true });
  const dim = length * C;
  const norms = new Float64Array(units);
  for (let u = 0; u < units; u++) for (let j = 0; j < dim; j++) norms[u] += templates.whitened[u * dim + j] ** 2;
  // each unit's amplitude range, read once (the loop below runs per detection and unit)
  const los = Float64Array.from({ length: units }, (_, u) => scaleBounds(templates, u)[0]),
    his = Float64Array.from({ length: units }, (_, u) => scaleBounds(templates, u)[1]);
  const margin = before + maxShift + 2;
  const crossCache = new Map<number, number>();
  // Σ_j T_a[j − lag·C] T_b[j]: template a moved by lag samples against b
  const cross = (a: number, b: number, lag: number) => {
    const key = (a * units + b) * (4 * maxShift + 1) + lag + 2 * maxShift;
    let v = crossCache.get(key);
    if (v === undefined) {
      v = 0;
      for (let k = Math.max(0, lag); k < Math.min(length, length + lag); k++)
        for (let ch = 0; ch < C; ch++)
          v += templates.whitened[a * dim + (k - lag) * C + ch] * templates.whitened[b * dim + k * C + ch];
      crossCache.set(key, v);
    }
    return v;
  };
  const found: { time: number; unit: number; scale: number }[] = [];
  const rejected: Peak[] = [];
  const rejectedAt = new Set<number>();
  const shifts = 2 * maxShift + 1;
  const correlate = unitCorrelations(templates, shifts);
  const interior = interiorSubtraction(length * C);
  // the template sets in Wasm memory, for the subtraction's interior rows
  const { heap } = spikeSortKernels.get();
  const filteredAt = heap.put(templates.filtered),
    whitenedAt = heap.put(templates.whitened);
  /**
   * Unit u's fit at sample `at`, moved to the vertex of a parabola through the correlations at at−1, at, at+1 (when it
   * opens down).
   */
  const refine = (at: number, u: number) => {
    const [c0, c1, c2] = dots(rw, (at - before - 1) * C, C, 3, templates.whitened, u * dim, dim);
    // origin + at is a whole number: the one rounding is the recording's; − origin is exact
    return { time: origin + at + (c0 - 2 * c1 + c2 < 0 ? parabolicOffset(c0, c1, c2) : 0) - origin, centre: c1 };
  };
  // detection on the residual, which is subtracted from in place (options checked once)
  const detectHere = peakDetector(residual, {
    noise: options.noise,
    threshold: options.threshold,
    sweep: options.sweep,
    neighbours: options.neighbours,
    margin: Math.max(margin, length - before + maxShift + 2),
  });
  // a detection's sub-sample time too, at the recording's sample number (origin = 0: as found)
  const detector = (span?: readonly [number, number]) =>
    origin === 0 ? detectHere(span) : detectHere(span).map((p) => atOrigin(p, rx, C, origin));
  // After the first pass, the residual differs from the last pass's only where it subtracted: a peak
  // anywhere else was a peak then, and was rejected (skipped below), so only those rows ± sweep are read again.
  let changed: [number, number][] | undefined;
  const passes = options.passes ?? 3;
  // the detect–fit passes are most of the work, the refit of every spike the rest
  const stages = new StagedProgress(options.onProgress, { passes: 17, refit: 3 });
  const progress = stages.stage('passes');
  for (let pass = 0; pass < passes; pass++) {
    const detected = changed ? spans(changed, options.sweep).flatMap(detector) : detector();
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
      const corr = correlate(rw, first);
      // per unit, the most residual energy it removes where its fit falls below its range, at its
      // least amplitude lo: 2·lo·⟨r,T⟩ − lo²‖T‖²
      if (belowRange) below.fill(-Infinity);
      for (let u = 0; u < units; u++) {
        if (!(norms[u] > 0)) continue;
        const lo = los[u],
          hi = his[u];
        for (let s = -maxShift; s <= maxShift; s++) {
          const scale = corr[u * shifts + s + maxShift] / norms[u];
          if (scale < lo) {
            if (belowRange) {
              const e = lo * (2 * corr[u * shifts + s + maxShift] - lo * norms[u]);
              if (e > below[u]) {
                below[u] = e;
                belowShift[u] = s;
              }
            }
            continue;
          }
          if (scale > hi) continue;
          // Units compete at their own amplitude (residual energy removed by T itself, 2⟨r,T⟩ − ‖T‖²):
          // with a free amplitude, a large unit would take a smaller unit's spikes of the same shape.
          const score = 2 * corr[u * shifts + s + maxShift] - norms[u];
          if (score > bestScore) {
            bestScore = score;
            best = u;
            bestShift = s;
            bestScale = scale;
          }
        }
      }
      // The winner at its fitted amplitude removes ⟨r,T⟩²/‖T‖²: a unit below its range that removes
      // clearly more even at its least amplitude is the better explanation, and it has no amplitude
      // for it, so the detection is left to no unit.
      if (best >= 0 && belowRange) {
        const removed = bestScale * corr[best * shifts + bestShift + maxShift];
        for (let u = 0; u < units; u++) {
          if (u === best || !(below[u] > removed)) continue;
          const lo = los[u];
          const d2 =
            lo * lo * norms[u] +
            bestScale * bestScale * norms[best] -
            2 * lo * bestScale * cross(u, best, belowShift[u] - bestShift);
          if (below[u] - removed > BELOW_RANGE_SDS * 2 * Math.sqrt(Math.max(0, d2))) {
            best = -1;
            break;
          }
        }
      }
      if (best < 0) {
        rejected.push(p);
        rejectedAt.add(p.sample);
        continue;
      }
      const { time } = refine(p.sample + bestShift, best);
      subtractShifted(
        rx,
        templates.filtered,
        filteredAt,
        best * dim,
        time - before,
        length,
        C,
        bestScale,
        rows,
        interior,
      );
      changed.push([Math.ceil(time - before) - 1, Math.ceil(time - before) + length]);
      subtractShifted(
        rw,
        templates.whitened,
        whitenedAt,
        best * dim,
        time - before,
        length,
        C,
        bestScale,
        rows,
        interior,
      );
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
    subtractShifted(rw, templates.whitened, whitenedAt, u * dim, f.time - before, length, C, -f.scale, rows, interior);
    const at = Math.round(f.time);
    let bestS = 0,
      bestC = -Infinity;
    const cs = dots(rw, (at - 2 - before) * C, C, 5, templates.whitened, u * dim, dim);
    for (let s = -2; s <= 2; s++) {
      const c = cs[s + 2];
      if (c > bestC) {
        bestC = c;
        bestS = s;
      }
    }
    const { time, centre } = refine(at + bestS, u);
    const [lo, hi] = scaleBounds(templates, u);
    const scale = Math.max(lo, Math.min(hi, centre / norms[u]));
    subtractShifted(rw, templates.whitened, whitenedAt, u * dim, time - before, length, C, scale, rows, interior);
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
 * `correlate(r, offset)[u · shifts + s]` = Σ_j r[offset + s·C + j] · template_u[j] (whitened), for
 * every unit and the shifts s = 0 … shifts − 1, in Wasm (`correlateUnits`: the sums in j order in
 * float64, as a plain loop). The result is a view, valid until the next call. Call inside a heap scope.
 */
function unitCorrelations(templates: TemplateSet, shifts: number): (r: Float32Array, offset: number) => Float64Array {
  const { exports: kernels, heap } = spikeSortKernels.get();
  const { units, length, channels: C } = templates;
  const dim = length * C,
    npairs = Math.ceil(units / 2);
  // units 2p and 2p + 1 interleaved, float64, so one f64x2 holds both at j
  const pairs = new Float64Array(npairs * dim * 2);
  for (let u = 0; u < units; u++)
    for (let j = 0; j < dim; j++) pairs[((u >> 1) * dim + j) * 2 + (u & 1)] = templates.whitened[u * dim + j];
  const windowLength = (shifts - 1) * C + dim;
  const pPairs = heap.put(pairs),
    pWindow = heap.alloc(windowLength * 4),
    pScratch = heap.alloc(windowLength * 8),
    pOut = heap.alloc(npairs * 2 * shifts * 8);
  // views made again only when Wasm memory grew (which detaches them)
  let windowView = heap.f32(pWindow, windowLength),
    outView = heap.f64(pOut, units * shifts);
  return (r, offset) => {
    if (windowView.buffer !== heap.memory.buffer) {
      windowView = heap.f32(pWindow, windowLength);
      outView = heap.f64(pOut, units * shifts);
    }
    for (let j = 0; j < windowLength; j++) windowView[j] = r[offset + j];
    kernels.correlateUnits(pWindow, C, shifts, pPairs, npairs, dim, pScratch, pOut);
    return outView;
  };
}

const DOTS = new Float64Array(5);

/**
 * `count` (3 or 5) dot products of b[bOffset …] (n values) with a at offset, offset + step, …: each
 * summed in j order as one loop would, the sums side by side so that they do not wait on each other.
 * Returns a shared scratch array, valid until the next call.
 */
function dots(
  a: Float32Array,
  offset: number,
  step: number,
  count: 3 | 5,
  b: Float32Array,
  bOffset: number,
  n: number,
): Float64Array {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0;
  const o1 = offset + step,
    o2 = offset + 2 * step,
    o3 = offset + 3 * step,
    o4 = offset + 4 * step;
  if (count === 3)
    for (let j = 0; j < n; j++) {
      const t = b[bOffset + j];
      s0 += a[offset + j] * t;
      s1 += a[o1 + j] * t;
      s2 += a[o2 + j] * t;
    }
  else
    for (let j = 0; j < n; j++) {
      const t = b[bOffset + j];
      s0 += a[offset + j] * t;
      s1 += a[o1 + j] * t;
      s2 += a[o2 + j] * t;
      s3 += a[o3 + j] * t;
      s4 += a[o4 + j] * t;
    }
  DOTS[0] = s0;
  DOTS[1] = s1;
  DOTS[2] = s2;
  DOTS[3] = s3;
  DOTS[4] = s4;
  return DOTS;
}

/**
 * `interior(r, from, rows, tAt, f, scale)`: r[from …] −= scale · template moved by f, for `rows`
 * rows whose template samples (and the one before, the two after) are all inside the template;
 * `tAt` is the Wasm address of the template's first such row. The rows go into Wasm memory and back
 * (`subtractRows`: catmullRom's arithmetic, the same bits). Call inside a heap scope.
 */
type InteriorSubtraction = (
  r: Float32Array,
  from: number,
  rows: number,
  C: number,
  tAt: number,
  f: number,
  scale: number,
) => void;

function interiorSubtraction(maxValues: number): InteriorSubtraction {
  const { exports: kernels, heap } = spikeSortKernels.get();
  const pRows = heap.alloc(maxValues * 4);
  // a view made again only when Wasm memory grew (which detaches it)
  let view = heap.f32(pRows, maxValues);
  return (r, from, rows, C, tAt, f, scale) => {
    if (view.buffer !== heap.memory.buffer) view = heap.f32(pRows, maxValues);
    const n = rows * C;
    for (let j = 0; j < n; j++) view[j] = r[from + j];
    kernels.subtractRows(pRows, tAt, rows, C, f, scale);
    for (let j = 0; j < n; j++) r[from + j] = view[j];
  };
}

/** r[start + k] −= scale · template(k) for a fractional start, the template moved by cubic interpolation. */
function subtractShifted(
  r: Float32Array,
  t: Float32Array,
  tAt: number,
  offset: number,
  start: number,
  length: number,
  C: number,
  scale: number,
  rows: number,
  interior: InteriorSubtraction,
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
  // Rows k = 1 … length − 3 read only template samples inside it: in Wasm (the same arithmetic as
  // catmullRom); the two rows either side go through the bounds-checked path.
  const lo = Math.max(1, -base),
    hi = Math.min(length - 3, rows - 1 - base);
  for (let k = -1; k < Math.min(lo, length); k++) edge(k);
  if (hi >= lo) interior(r, (base + lo) * C, hi - lo + 1, C, tAt + (offset + lo * C) * 4, f, scale);
  for (let k = Math.max(hi + 1, lo); k < length; k++) edge(k);
}

/** A detection's time summed at row origin + sample (as peakAt, whose vertex it reads again), then made relative. */
function atOrigin(p: Peak, r: Float32Array, C: number, origin: number): Peak {
  const at = p.sample * C + p.channel;
  return { ...p, time: origin + p.sample + parabolicOffset(r[at - C], r[at], r[at + C]) - origin };
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
