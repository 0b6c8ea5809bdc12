import { checkNumber, StagedProgress, type Matrix } from '@spyglass-wasm/core';
import { whiten } from '@spyglass-wasm/dsp-wasm';
import { frontEnd, noiseLevels } from '../front-end/front-end.js';
import { detectPeaks, type Peak } from '../detect/detect-peaks.js';
import { matchTemplates, type Matches, type MatchOptions } from '../match/match-templates.js';
import { autoMerge, type SortingMerges } from '../curation/auto-merge.js';
import { learnTemplates, learnTemplatesShared, type LearnedTemplates, type LearnOptions } from './learn-templates.js';
import type { BranchPart } from '../cluster/branch-split.js';
import { SortingAccumulator } from './sorting-accumulator.js';

export interface SortGroupOptions {
  /** Sampling rate, Hz. */
  fs: number;
  /** Bandpass, Hz (default 600–6000, tetrodes; 300–6000 for probes). */
  band?: readonly [number, number];
  /**
   * Detection threshold in MAD noise units. Default 4, below Spyglass's and MountainSort's 5: at 5
   * a unit with SNR 5–6 loses a third of its spikes to the noise, at 4 it keeps them, and the
   * clustering sets aside the extra noise crossings.
   */
  threshold?: number;
  /** Samples zeroed around any sample beyond this many µV on any channel (default 3000 µV, 1 ms). */
  artifactThreshold?: number;
  /** Principal components per group (default 8). */
  components?: number;
  seed?: number;
  /** Data is already band-passed. */
  filtered?: boolean;
  /** Whiten the group (ZCA) before extracting waveforms for clustering (default true). */
  whiten?: boolean;
  /**
   * Detection exclusion per channel: its neighbours within a radius (default: the whole group); also
   * where each unit's noise overlap is computed (its largest channel's neighbours).
   */
  neighbours?: readonly (readonly number[])[];
  /**
   * Merge units that are one neuron split in several (`autoMerge` with its defaults, template similarity
   * on `neighbours`, and on a probe of more than 4 channels `probeMerge`'s settings; default true). What
   * was merged, and the candidates left apart, are in the sorting's `merges`.
   */
  autoMerge?: boolean;
  /**
   * Most detections template learning clusters (default 6000, at least 100): on a recording with
   * more, the units are learned from 1-s blocks spread evenly over it (seeded) that hold about this
   * many, and template matching then assigns every spike, so learning costs the same however long
   * or dense the recording is.
   */
  learnSpikes?: number;
  /**
   * Called with the fraction done (0..1): between the steps and from inside the template-matching
   * loops, every few hundred detections (well within a second of work), ending with 1.
   */
  onProgress?: (fraction: number) => void;
}

/** One sorted unit of a group. */
export interface SortedUnit {
  /** Spike times in samples from the start of the data, sub-sample precision. */
  samples: Float64Array;
  /** Mean waveform (length × channels, µV) and the channel where it is largest. */
  template: Float32Array;
  peakChannel: number;
  /** Peak amplitude of the template over the noise level of its channel. */
  snr: number;
  /**
   * Median over its spikes of the energy each leaves about the unit's template (noise units per
   * channel, scaled to fit): the noise for one neuron, more for a cluster of two neurons' spikes.
   */
  spread?: number;
  /**
   * Set when the unit's template is the sum of two other units' templates at some lag and its spikes
   * are fit as well by them: a cluster of their synchronous spikes, no neuron (−1: a part that
   * matched no spike). Curation labels such units noise (`labelCollisions`).
   */
  collisionOf?: number[];
}

export interface GroupSorting {
  units: SortedUnit[];
  /** Every detection with its unit label (−1: a noise crossing), for metrics and clusterless marks. */
  peaks: Peak[];
  labels: Int32Array;
  features: Float32Array;
  components: number;
  noise: Float64Array;
  snippetLength: number;
  channels: number;
  /** Per unit, noise overlap (SpikeInterface's nn_noise_overlap; NaN with fewer than 10 spikes). */
  noiseOverlaps: Float64Array;
  /** What `autoMerge` merged and the candidates it left apart, with the evidence (absent when it did not run). */
  merges?: SortingMerges;
}

/**
 * Sorts one electrode group (a tetrode or a probe shank), µV (time × channels): bandpass,
 * artifact blanking, threshold detection with sub-sample peak alignment, clustering of the
 * detections into unit templates (learnTemplates), then template matching with subtraction over
 * the whole group (matchTemplates), which recovers spikes that collide with another unit's, and
 * merging of units that are one neuron split in several (autoMerge).
 */
export function sortGroup(raw: Matrix<Float32Array>, options: SortGroupOptions): GroupSorting {
  // weights: shares of the work on a simulated tetrode (a CPU profile of sortGroup); learnGroup's 15
  const progress = new StagedProgress(options.onProgress, { learn: 15, match: 4, accumulate: 1, merge: 1 });
  const { x, w, noise, learned } = learnGroup(raw, options, progress.stage('learn'));
  const matches = matchTemplates(x, w, learned.templates, {
    ...matchSettings(options, noise),
    onProgress: progress.stage('match'),
  });
  progress.stage('accumulate');
  const sorting = gatherGroup(x, w, learned, matches, { ...options, noise }, () => progress.stage('merge'));
  progress.done();
  return sorting;
}

/** A group filtered (x), whitened (w), its noise levels and learned templates: sortGroup before matching. */
export interface LearnedGroup {
  x: Matrix<Float32Array>;
  w: Matrix<Float32Array>;
  noise: Float64Array;
  learned: LearnedTemplates;
  /** The detections the templates were learned from. */
  peaks: Peak[];
}

/** sortGroup's steps before template matching: front end, noise levels, detection, whitening, learnTemplates. */
export function learnGroup(
  raw: Matrix<Float32Array>,
  options: SortGroupOptions,
  onProgress?: (fraction: number) => void,
): LearnedGroup {
  const { group, w, learn, progress } = prepareGroup(raw, options, onProgress, (x) => () => whiten(x).y);
  const learned = learnTemplates(group.x, w, group.peaks, learn);
  progress.done();
  return { ...group, w, learned };
}

/** Work learnGroupShared hands to another worker; undefined back when it declines (done here then). */
export interface GroupShares {
  /** splitBranches of some clusters (learnTemplatesShared). */
  splitBranches(part: BranchPart): Promise<Int32Array | undefined>;
  /** The whitened group (`whiten(x).y`), while this worker finds the noise levels and detects. */
  whiten(x: Matrix<Float32Array>): Promise<Matrix<Float32Array> | undefined>;
}

/**
 * learnGroup with work shared with another worker (`shares`): the whitening, while this worker
 * detects, and learning's branch splits (learnTemplatesShared), for sortGroupOnPool: the same
 * group to the bit.
 */
export async function learnGroupShared(
  raw: Matrix<Float32Array>,
  options: SortGroupOptions,
  onProgress: ((fraction: number) => void) | undefined,
  shares: GroupShares,
): Promise<LearnedGroup> {
  const { group, w, learn, progress } = prepareGroup(raw, options, onProgress, (x) => {
    // a copy goes (x stays here for detection)
    const there = shares.whiten({ data: x.data.slice(), rows: x.rows, cols: x.cols });
    return async () => (await there) ?? whiten(x).y;
  });
  const whitened = await w;
  const learned = await learnTemplatesShared(group.x, whitened, group.peaks, learn, (part) =>
    shares.splitBranches(part),
  );
  progress.done();
  return { ...group, w: whitened, learned };
}

/**
 * learnGroup up to learnTemplates, with learnTemplates' options (its progress started): `whitening`
 * is called with the filtered group before detection and what it returns after (the whitened group).
 */
function prepareGroup<W>(
  raw: Matrix<Float32Array>,
  options: SortGroupOptions,
  onProgress: ((fraction: number) => void) | undefined,
  whitening: (x: Matrix<Float32Array>) => () => W,
) {
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  checkLearnSpikes(options.learnSpikes);
  const progress = new StagedProgress(onProgress, { frontEnd: 1, detect: 1, whiten: 1, learn: 12 });
  progress.stage('frontEnd');
  const x = frontEnd(raw, fs, options);
  const whitened = options.whiten === false ? undefined : whitening(x);
  const noise = noiseLevels(x);
  const { before, after, sweep, threshold } = detectionGeometry(fs, options);
  const { neighbours } = options;
  progress.stage('detect');
  const peaks = detectPeaks(x, { noise, threshold, sweep, margin: after + 2, neighbours });
  // Detection runs on the filtered data in MAD units; clustering and matching on whitened
  // waveforms, where noise shared across channels is gone and every direction has the same noise.
  progress.stage('whiten');
  const w = whitened ? whitened() : x;
  const learn: LearnOptions = {
    fs,
    before,
    after,
    components: options.components ?? 8,
    seed: options.seed ?? 1,
    noiseClass: options.whiten !== false,
    noise,
    threshold,
    sweep,
    neighbours,
    learnSpikes: options.learnSpikes,
    onProgress: progress.stage('learn'),
  };
  return { group: { x, noise, peaks }, w, learn, progress };
}

/** sortGroup's settings of matchTemplates. */
export function matchSettings(
  options: SortGroupOptions,
  noise: Float64Array,
): Pick<MatchOptions, 'noise' | 'threshold' | 'sweep' | 'neighbours' | 'belowRange'> {
  const { sweep, threshold } = detectionGeometry(options.fs, options);
  return { noise, threshold, sweep, neighbours: options.neighbours, belowRange: BELOW_RANGE };
}

/**
 * Whether sortGroup's, sortGroupOnPool's and sortStream's last matching leaves to no unit a
 * detection that a larger unit explains better below its range (`matchTemplates`' belowRange): on.
 * (It waited until every stored metric was engine-independent: with it on, one L-ratio's last bit
 * differed between Chromium and Node while its chi-squared tail used Math.exp / Math.log.)
 */
export const BELOW_RANGE = true;

/**
 * sortGroup's steps after template matching: the matches gathered into a sorting
 * (SortingAccumulator) and autoMerge; `merging` is called before autoMerge.
 */
function gatherGroup(
  x: Matrix<Float32Array>,
  w: Matrix<Float32Array>,
  learned: LearnedTemplates,
  matches: Matches,
  options: SortGroupOptions & { noise: Float64Array },
  merging?: () => void,
): GroupSorting {
  const result = accumulateGroup(x, w, learned, matches, options).result();
  merging?.();
  return mergeGroup(result, x, options);
}

/** sortGroup's SortingAccumulator of a whole group, with every match added. */
export function accumulateGroup(
  x: Matrix<Float32Array>,
  w: Matrix<Float32Array>,
  learned: LearnedTemplates,
  matches: Matches,
  options: SortGroupOptions & { noise: Float64Array },
): SortingAccumulator {
  const result = new SortingAccumulator(learned, {
    noise: options.noise,
    after: detectionGeometry(options.fs, options).after,
    totalRows: x.rows,
    seed: options.seed ?? 1,
    neighbours: options.neighbours,
  });
  result.add(x, w, matches);
  return result;
}

/** sortGroup's last step: autoMerge of the sorting of `x` (unless `autoMerge: false`). */
export function mergeGroup(sorting: GroupSorting, x: Matrix<Float32Array>, options: SortGroupOptions): GroupSorting {
  const { fs, neighbours } = options;
  return options.autoMerge === false
    ? sorting
    : autoMerge(sorting, { fs, duration: x.rows / fs, ...probeMerge(x.cols), neighbours }).sorting;
}

/**
 * autoMerge's settings for a probe (more than 4 channels), where a drifting unit is cut in pieces
 * over time: pieces merge without a testable dip, and templates are compared one channel apart too
 * (the unit moves along the probe; channels in index order). Nothing for a tetrode.
 */
export function probeMerge(channels: number): { pieces?: boolean; channelShift?: number } {
  return channels > 4 ? { pieces: true, channelShift: 1 } : {};
}

/** `learnSpikes` checked before any work (learnTemplates applies it). */
export function checkLearnSpikes(learnSpikes: number | undefined): void {
  if (learnSpikes !== undefined) checkNumber('learnSpikes', learnSpikes, { min: 100, integer: true });
}

/** Snippet window (1 ms before, 2 ms after), detection exclusion radius and threshold for a sampling rate. */
export function detectionGeometry(fs: number, options: { threshold?: number } = {}) {
  return {
    before: Math.round(fs / 1000),
    after: Math.round((2 * fs) / 1000),
    sweep: Math.round(fs / 2000),
    threshold: options.threshold ?? 4,
  };
}
