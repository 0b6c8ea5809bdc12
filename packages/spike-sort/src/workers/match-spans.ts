import type { Matrix } from '@spyglass-wasm/core';
import { detectPeaks, type Peak } from '../detect/detect-peaks.js';
import { matchTemplates, type Matches, type MatchOptions, type TemplateSet } from '../match/match-templates.js';

/** One time span of a group for `matchSpan`: its rows with margins, where they sit, what is reported. */
export interface SpanJob {
  /** Filtered and whitened rows [origin, origin + x.rows) of the recording (`w` may be `x`: not whitened). */
  x: Matrix<Float32Array>;
  w: Matrix<Float32Array>;
  origin: number;
  /** Rows of `x` whose spikes this span reports (its core; the rest are margins). */
  report: [number, number];
  templates: TemplateSet;
  match: Pick<MatchOptions, 'noise' | 'threshold' | 'sweep' | 'neighbours'>;
}

/** Template matching's detect–fit–subtract passes (matchTemplates' default), for the reach of one detection. */
const PASSES = 3;
const MAX_SHIFT = 3;

/**
 * Cuts of `rows` rows for up to `spans` spans matched apart against `templates` (quietCuts: where
 * no fit on one side reads or changes what the other side's do), and the margin each span reads.
 */
export function matchCuts(
  detections: Int32Array,
  rows: number,
  spans: number,
  templates: TemplateSet,
  sweep: number,
): { cuts: number[]; margin: number } {
  // rows one detection's fits, over every pass, may read or change on either side of it
  const reach = (PASSES + 1) * (templates.length + 2 * MAX_SHIFT + 2 * sweep + 8);
  const margin = 2 * reach + templates.length;
  return { cuts: quietCuts(detections, rows, spans, margin, 2 * reach), margin };
}

/**
 * Cut rows from 0 to `rows`, for up to `spans` spans: each inner cut is the middle of the longest gap
 * between consecutive detections within a quarter span of an even split. Fewer spans when a span
 * would not hold 8 margins, and no cut where that gap is shorter than `minGap` (fits on its two
 * sides could then interact, and the sorting would depend on the number of workers).
 */
export function quietCuts(
  detections: Int32Array,
  rows: number,
  spans: number,
  margin: number,
  minGap: number,
): number[] {
  const n = Math.max(1, Math.min(spans, Math.floor(rows / (8 * margin))));
  const cuts = [0];
  for (let k = 1; k < n; k++) {
    const even = Math.round((k * rows) / n);
    const lo = even - Math.floor(rows / n / 4),
      hi = even + Math.floor(rows / n / 4);
    let best = even,
      widest = -1;
    // the detections in [lo, hi], with lo and hi as the ends of the first and last gap
    let prev = lo;
    for (let i = lowerBound(detections, lo); i <= detections.length; i++) {
      const next = i < detections.length ? Math.min(hi, detections[i]) : hi;
      if (next - prev > widest) {
        widest = next - prev;
        best = Math.floor((prev + next) / 2);
      }
      if (next >= hi) break;
      prev = next;
    }
    if (widest >= minGap) cuts.push(best);
  }
  cuts.push(rows);
  return cuts;
}

/** Index of the first value ≥ x in sorted `a`. */
function lowerBound(a: Int32Array, x: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** Rows [from − margin, to + margin) of x and w (copies, to be transferred), reporting [from, to). */
export function spanJob(
  x: Matrix<Float32Array>,
  w: Matrix<Float32Array>,
  from: number,
  to: number,
  margin: number,
  templates: TemplateSet,
  match: SpanJob['match'],
): SpanJob {
  const a = Math.max(0, from - margin),
    b = Math.min(x.rows, to + margin);
  const C = x.cols;
  const xs = { data: x.data.slice(a * C, b * C), rows: b - a, cols: C };
  const ws = w === x ? xs : { data: w.data.slice(a * C, b * C), rows: b - a, cols: C };
  return { x: xs, w: ws, origin: a, report: [from - a, to - a], templates, match };
}

/**
 * The spans' matches (each in time order, relative to its origin) as one, relative to row 0: in
 * time order, as matching the whole would give. Adding the origin is exact: each time was summed
 * at its recording row (`origin`).
 */
export function joinMatches(spans: { m: Matches; origin: number }[]): Matches {
  const count = (f: (m: Matches) => number) => spans.reduce((n, s) => n + f(s.m), 0);
  const n = count((m) => m.times.length);
  const times = new Float64Array(n),
    units = new Int32Array(n),
    scales = new Float32Array(n);
  const unmatched: Peak[] = [];
  let at = 0;
  for (const { m, origin } of spans) {
    for (let i = 0; i < m.times.length; i++) times[at + i] = m.times[i] + origin;
    units.set(m.units, at);
    scales.set(m.scales, at);
    at += m.times.length;
    for (const p of m.unmatched) unmatched.push({ ...p, sample: p.sample + origin, time: p.time + origin });
  }
  return { times, units, scales, unmatched };
}

/**
 * matchTemplates of `x` with one time span (cut as `matchCuts` cuts for 2) matched `elsewhere` (a
 * worker's `matchSpan`, or undefined when it declines; the job's buffers may be transferred) while
 * this thread matches the other: the same matches to the bit. The cut is placed by the detections
 * in `x` (detectPeaks with matching's settings: those its first pass fits); without a cut, or with
 * float64 data, all is matched here.
 */
export async function matchTemplatesShared(
  x: Matrix<Float32Array | Float64Array>,
  w: Matrix<Float32Array | Float64Array>,
  templates: TemplateSet,
  options: SpanJob['match'] & Pick<MatchOptions, 'onProgress'>,
  elsewhere: (job: SpanJob) => Promise<Matches | undefined>,
): Promise<Matches> {
  const { onProgress, ...match } = options;
  const margin = templates.length - templates.before + 2;
  const detections = Int32Array.from(detectPeaks(x, { ...match, margin }), (p) => p.sample).sort();
  const { cuts, margin: reads } = matchCuts(detections, x.rows, 2, templates, match.sweep);
  if (cuts.length < 3 || !isFloat32(x) || !isFloat32(w)) return matchTemplates(x, w, templates, options);
  const job = (k: number) => spanJob(x, w, cuts[k], cuts[k + 1], reads, templates, match);
  const matchHere = (span: SpanJob, progress?: MatchOptions['onProgress']) =>
    matchTemplates(span.x, span.w, templates, {
      ...match,
      origin: span.origin,
      report: span.report,
      onProgress: progress,
    });
  const there = job(1);
  const pending = elsewhere(there);
  const here = job(0);
  const mine = matchHere(here, onProgress);
  const theirs = (await pending) ?? matchHere(job(1));
  return joinMatches([
    { m: mine, origin: here.origin },
    { m: theirs, origin: there.origin },
  ]);
}

function isFloat32(m: Matrix<Float32Array | Float64Array>): m is Matrix<Float32Array> {
  return m.data instanceof Float32Array;
}
