// Worker entry, built self-contained to dist/sort-worker.js (browsers) and dist/sort-worker.node.mjs
// (Node; the ./worker export): sorts one electrode group. One Wasm instance per worker.
import { Comlink, exposeWorker, type Matrix } from '@spyglass-wasm/core';
import {
  learnGroup,
  learnGroupShared,
  sortGroup,
  type GroupShares,
  type SortGroupOptions,
} from '../sort/sort-group.js';
import { whiten } from '@spyglass-wasm/dsp-wasm';
import { splitBranches, type BranchPart } from '../cluster/branch-split.js';
import { noiseOverlapOf, type NoiseOverlapJob } from '../sort/sorting-accumulator.js';
import { matchTemplates } from '../match/match-templates.js';
import type { SpanJob } from './sort-group-on-pool.js';
import { sortNeighbourhood, type NeighbourhoodJob } from '../probe/sort-neighbourhood.js';

type Progress = ((fraction: number) => void) | undefined;

/** The proxy's channel, opened for one call, closed after its last report. */
function release(proxy: unknown): void {
  (proxy as Partial<Comlink.Remote<unknown>> | undefined)?.[Comlink.releaseProxy]?.();
}

const api = {
  /**
   * sortGroup in the worker. A function cannot travel inside `options`: pass progress as the third
   * argument, wrapped in `Comlink.proxy(onProgress)`.
   */
  async sortGroup(x: Matrix<Float32Array>, options: Omit<SortGroupOptions, 'onProgress'>, onProgress?: Progress) {
    try {
      return sortGroup(x, { ...options, onProgress: onProgress ? (f) => void onProgress(f) : undefined });
    } finally {
      release(onProgress);
    }
  },
  /**
   * sortGroup up to template matching (learnGroup), for `sortGroupOnPool`: the filtered and whitened
   * group come back transferred, with the noise levels, the templates and the detections' samples.
   * With `shares` (a `Comlink.proxy` of GroupShares: another worker's `whiten` and `splitBranches`,
   * or undefined when none is free), the whitening and learning's branch splits are shared with
   * it (learnGroupShared): the same group.
   */
  async learnGroup(
    x: Matrix<Float32Array>,
    options: Omit<SortGroupOptions, 'onProgress'>,
    onProgress?: Progress,
    shares?: GroupShares,
  ) {
    try {
      const progress = onProgress ? (f: number) => void onProgress(f) : undefined;
      const { peaks, ...group } = shares
        ? await learnGroupShared(x, options, progress, {
            splitBranches: (part) => shares.splitBranches(Comlink.transfer(part, [part.points.data.buffer])),
            whiten: (y) => shares.whiten(Comlink.transfer(y, [y.data.buffer])),
          })
        : learnGroup(x, options, progress);
      const detections = Int32Array.from(peaks, (p) => p.sample);
      const buffers = new Set([group.x.data.buffer, group.w.data.buffer, detections.buffer]);
      return Comlink.transfer({ ...group, detections }, [...buffers]);
    } finally {
      release(onProgress);
      release(shares);
    }
  },
  /** splitBranches of some clusters (`splitBranchesShared`'s part), for a learnGroup on another worker. */
  async splitBranches(part: BranchPart) {
    return splitBranches(part.points, part.labels, part.options);
  },
  /** The whitened group (`whiten(x).y`, transferred), for a learnGroup on another worker. */
  async whiten(x: Matrix<Float32Array>) {
    const { y } = whiten(x);
    return Comlink.transfer(y, [y.data.buffer]);
  },
  /** One time span of a group matched against its templates (`sortGroupOnPool`); times relative to the span. */
  async matchSpan(job: SpanJob, onProgress?: Progress) {
    try {
      return matchTemplates(job.x, job.w, job.templates, {
        ...job.match,
        origin: job.origin,
        report: job.report,
        onProgress: onProgress ? (f) => void onProgress(f) : undefined,
      });
    } finally {
      release(onProgress);
    }
  },
  /** Noise overlaps of some units of a sorting (`SortingAccumulator.noiseOverlapJobs`), for `sortGroupOnPool`. */
  async noiseOverlaps(jobs: NoiseOverlapJob[]) {
    return Float64Array.from(jobs, noiseOverlapOf);
  },
  /**
   * One neighbourhood of a probe (sortProbe): its samples are read from the caller a window at a
   * time through `read` (`Comlink.proxy`), so the worker holds one neighbourhood's windows only.
   */
  async sortNeighbourhood(
    job: NeighbourhoodJob,
    read: (start: number, end: number) => Promise<Matrix<Float32Array>>,
    onProgress?: Progress,
  ) {
    try {
      return await sortNeighbourhood(job, (a, b) => read(a, b), onProgress ? (f) => void onProgress(f) : undefined);
    } finally {
      release(read);
      release(onProgress);
    }
  },
};
export type SortWorkerApi = typeof api;

exposeWorker(api);
