import { checkNumber, Comlink, StagedProgress, type Matrix, type WorkerPool } from '@spyglass-wasm/core';
import { joinMatches, matchCuts, spanJob } from './match-spans.js';
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

/**
 * sortGroup with its per-time work spread over a pool's workers, for one group that would
 * otherwise sort on one thread: a worker filters, detects, whitens and learns the templates
 * (`learnGroup`), sharing the whitening and parts of learning with another worker; then the
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
  // The whitening and learning's branch splits and refinement matching are shared with another
  // worker while no more groups learn on the pool than it has workers less one: a learning worker
  // waits for its share, so two learning at once on two workers would each wait for the other. A
  // share declined is done by the learning worker.
  learners.set(pool, (learners.get(pool) ?? 0) + 1);
  const free = () => (learners.get(pool) ?? 0) < pool.size;
  const shares: GroupShares = {
    splitBranches: async (part) =>
      free() ? pool.run((api) => api.splitBranches(Comlink.transfer(part, [part.points.data.buffer]))) : undefined,
    matchSpan: async (job) =>
      free()
        ? pool.run((api) => api.matchSpan(Comlink.transfer(job, [...new Set([job.x.data.buffer, job.w.data.buffer])])))
        : undefined,
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
  const { cuts, margin } = matchCuts(detections, x.rows, pool.size, templates, sweep);
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
