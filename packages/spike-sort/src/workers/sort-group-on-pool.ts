import { checkNumber, Comlink, StagedProgress, type Matrix, type WorkerPool } from '@spyglass-wasm/core';
import type { Peak } from '../detect/detect-peaks.js';
import type { Matches, MatchOptions, TemplateSet } from '../match/match-templates.js';
import {
  accumulateGroup,
  detectionGeometry,
  matchSettings,
  mergeGroup,
  type GroupShares,
  type GroupSorting,
  type SortGroupOptions,
} from '../sort/sort-group.js';
import type { SortWorkerApi } from './sort-worker.js';

/** sortGroupOnPool calls learning on each pool (started or waiting for a worker). */
const learners = new WeakMap<WorkerPool<SortWorkerApi>, number>();

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
 * sortGroup with its per-time work spread over a pool's workers, for one group that would
 * otherwise sort on one thread: a worker filters, detects, whitens and learns the templates
 * (`learnGroup`), sharing the whitening and learning's branch splits with another worker; then the
 * recording is cut into one time span per worker, each matched on its own worker (`matchTemplates`
 * with `origin` and `report`); the matches are gathered here (SortingAccumulator, autoMerge) with
 * the units' noise overlaps computed on the workers. Each cut lies in the middle of the longest
 * stretch without detections near an even split, and each span reads margins beyond its cuts. A
 * cut is made only where that stretch is longer than twice the reach of one detection's fits (all
 * passes), so no fit on one side reads or changes what the other side's do, and the sorting is
 * sortGroup's to the bit (a recording too dense for a cut matches in fewer spans). `raw`'s buffer
 * is transferred to a worker (detached here);
 * the spans are copied to the workers (no shared memory).
 *
 * @example
 * const pool = await createSortPool({ size: 2 });
 * const sorting = await sortGroupOnPool(pool, x, { fs: 30000 }); // as sortGroup(x, { fs: 30000 })
 */
export async function sortGroupOnPool(
  pool: WorkerPool<SortWorkerApi>,
  raw: Matrix<Float32Array>,
  options: SortGroupOptions,
): Promise<GroupSorting> {
  const { onProgress, ...settings } = options;
  const fs = checkNumber('fs', settings.fs, { min: 0, exclusiveMin: true });
  // the weights of sortGroup's stages
  const progress = new StagedProgress(onProgress, { learn: 15, match: 4, gather: 2 });
  const learnProgress = progress.stage('learn');
  // The whitening and learning's branch splits are shared with another worker while no more groups
  // learn on the pool than it has workers less one: a learning worker waits for its share, so two
  // learning at once on two workers would each wait for the other. A share declined is done by the
  // learning worker.
  learners.set(pool, (learners.get(pool) ?? 0) + 1);
  const free = () => (learners.get(pool) ?? 0) < pool.size;
  const shares: GroupShares = {
    splitBranches: async (part) =>
      free() ? pool.run((api) => api.splitBranches(Comlink.transfer(part, [part.points.data.buffer]))) : undefined,
    // back to the learning worker transferred, not copied
    whiten: async (x) => {
      if (!free()) return undefined;
      const y = await pool.run((api) => api.whiten(Comlink.transfer(x, [x.data.buffer])));
      return Comlink.transfer(y, [y.data.buffer]);
    },
  };
  let group;
  try {
    group = await pool.run((api) =>
      api.learnGroup(
        // a SharedArrayBuffer is shared, not transferred
        Comlink.transfer(raw, raw.data.buffer instanceof ArrayBuffer ? [raw.data.buffer] : []),
        settings,
        onProgress ? Comlink.proxy(learnProgress) : undefined,
        pool.size > 1 ? Comlink.proxy(shares) : undefined,
      ),
    );
  } finally {
    learners.set(pool, (learners.get(pool) ?? 1) - 1);
  }
  const { x, w, learned, detections } = group;
  const { templates } = learned;
  const { sweep } = detectionGeometry(fs, settings);
  // rows one detection's fits, over every pass, may read or change on either side of it
  const reach = (PASSES + 1) * (templates.length + 2 * MAX_SHIFT + 2 * sweep + 8);
  const margin = 2 * reach + templates.length;
  const cuts = quietCuts(detections, x.rows, pool.size, margin, 2 * reach);
  const match = matchSettings(settings, group.noise);
  const done = new Float64Array(cuts.length - 1);
  const matchProgress = progress.stage('match');
  const spanProgress = (k: number) => (f: number) => {
    done[k] = Math.max(done[k], f);
    matchProgress(done.reduce((a, b) => a + b, 0) / done.length);
  };
  const spans = await Promise.all(
    cuts.slice(1).map((end, k) => {
      const job = spanJob(x, w, cuts[k], end, margin, templates, match);
      const buffers = [...new Set([job.x.data.buffer, job.w.data.buffer])];
      return pool
        .run((api) =>
          api.matchSpan(Comlink.transfer(job, buffers), onProgress ? Comlink.proxy(spanProgress(k)) : undefined),
        )
        .then((m) => ({ m, origin: job.origin }));
    }),
  );
  // gathered here (x and w are here), the units' noise overlaps (most of it) on the workers
  progress.stage('gather');
  const withNoise = { ...settings, noise: group.noise };
  const accumulator = accumulateGroup(x, w, learned, joinMatches(spans), withNoise);
  const jobs = accumulator.noiseOverlapJobs();
  const parts = Array.from({ length: Math.min(pool.size, jobs.length) }, (_, k) =>
    jobs.filter((_, u) => u % pool.size === k),
  );
  const overlaps = await Promise.all(parts.map((part) => pool.run((api) => api.noiseOverlaps(part))));
  // unit u's overlap came back from part u mod size, at u div size
  const noiseOverlaps = Float64Array.from(jobs, (_, u) => overlaps[u % pool.size][Math.floor(u / pool.size)]);
  const sorting = mergeGroup(accumulator.result(noiseOverlaps), x, settings);
  progress.done();
  return sorting;
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
function spanJob(
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
function joinMatches(spans: { m: Matches; origin: number }[]): Matches {
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
