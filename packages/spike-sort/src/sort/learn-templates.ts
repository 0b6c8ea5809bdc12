import { checkNumber, median, StagedProgress } from '@spyglass-wasm/core';
import type { Matrix } from '@spyglass-wasm/core';
import {
  splitBranches,
  splitBranchesShared,
  type BranchPart,
  type BranchSplitOptions,
} from '../cluster/branch-split.js';
import { isosplit } from '../cluster/isosplit.js';
import type { Peak } from '../detect/detect-peaks.js';
import { fitPca, PCA_ROWS, projectPca, type Pca } from '../features/pca.js';
import { extractSnippets } from '../features/snippets.js';
import { matchTemplates, type TemplateSet } from '../match/match-templates.js';
import { collisionTemplates, type Collision } from './collisions.js';
import { dropEchoes } from './drop-echoes.js';
import { LEARN_SPIKES, learningSample } from './learning-sample.js';
import { mergeShiftedTemplates } from './merge-templates.js';
import { reassignToTemplates } from './reassign.js';
import { resplitBranches, resplitMatched } from './residual-split.js';
import { scalesAlong, splitByAmplitude } from './split-amplitudes.js';

/** Fewest matched spikes a unit keeps its template with. */
const MIN_SPIKES = 10;

export interface LearnOptions {
  fs: number;
  before: number;
  after: number;
  components: number;
  seed: number;
  /** The zero waveform competes with the templates (a detection may be noise); set when whitened. */
  noiseClass: boolean;
  /** Detection settings, for the refinement's template matching. */
  noise: ArrayLike<number>;
  threshold: number;
  sweep: number;
  neighbours?: readonly (readonly number[])[];
  /**
   * Most detections clustered (default 6000, at least 100): beyond it the units are learned from
   * 1-s blocks spread evenly over the recording that hold about this many (`learningSample`), so
   * learning costs the same whatever the recording's length and spike density; template matching
   * then assigns every spike.
   */
  learnSpikes?: number;
  /**
   * Look again for splits of each unit among its matched spikes (`resplitMatched`). Default: on a
   * tetrode (4 channels or fewer); on a probe it cut units of the overlapping regime apart.
   */
  resplit?: boolean;
  /** Called with the fraction done (0..1), between the clustering steps and from inside the refinement's matching. */
  onProgress?: (fraction: number) => void;
}

/** What clustering a set of detections gives: the units' templates and the feature axes. */
export interface LearnedTemplates {
  templates: TemplateSet;
  pca: Pca;
  /** Templates that are two other units' spikes firing together (`collisionTemplates`), by template index. */
  collisions: Collision[];
}

/**
 * Clusters detections into units and returns their templates: PCA of the whitened waveforms,
 * isosplit-style clustering, splits of clusters along their own axes (splitBranches), merging of
 * clusters that differ only by a shift, template reassignment with a noise class, splitting of
 * units with two amplitude modes, and removal of units that echo a stronger one. `x` is the filtered data (µV), `w` the
 * same data whitened.
 */
export function learnTemplates(
  x: Matrix<Float32Array | Float64Array>,
  w: Matrix<Float32Array | Float64Array>,
  peaks: readonly Peak[],
  options: LearnOptions,
): LearnedTemplates {
  const steps = learnSteps(x, w, peaks, options);
  let step = steps.next();
  while (!step.done) step = steps.next(splitBranches(step.value.points, step.value.labels, step.value.options));
  return step.value;
}

/**
 * learnTemplates with its branch splits shared with `elsewhere` (`splitBranchesShared`: a worker's
 * splitBranches of some clusters, or undefined when it declines): the same templates to the bit.
 */
export async function learnTemplatesShared(
  x: Matrix<Float32Array | Float64Array>,
  w: Matrix<Float32Array | Float64Array>,
  peaks: readonly Peak[],
  options: LearnOptions,
  elsewhere: (part: BranchPart) => Promise<Int32Array | undefined>,
): Promise<LearnedTemplates> {
  const steps = learnSteps(x, w, peaks, options);
  let step = steps.next();
  while (!step.done)
    step = steps.next(await splitBranchesShared(step.value.points, step.value.labels, step.value.options, elsewhere));
  return step.value;
}

/** A splitBranches learning asks for, with its arguments; the answer is its labels. */
interface BranchRequest {
  points: Matrix<Float32Array>;
  labels: Int32Array;
  options: BranchSplitOptions;
}

/** learnTemplates' steps, yielding each splitBranches it needs (run here or shared with a worker). */
function* learnSteps(
  x: Matrix<Float32Array | Float64Array>,
  w: Matrix<Float32Array | Float64Array>,
  peaks: readonly Peak[],
  options: LearnOptions,
): Generator<BranchRequest, LearnedTemplates, Int32Array> {
  const { fs, before, after, seed } = options;
  const budget = checkNumber('learnSpikes', options.learnSpikes ?? LEARN_SPIKES, { min: 100, integer: true });
  const sample = learningSample(x, w, peaks, { block: Math.round(fs), budget, before, after, seed });
  // the sample holds at most `budget` detections, so this call learns it whole
  if (sample) return yield* learnSteps(sample.x, sample.w, sample.peaks, options);
  const snippets = extractSnippets(w, peaks, { before, after });
  const waveforms = w === x ? snippets : extractSnippets(x, peaks, { before, after });
  const d = snippets.length * snippets.channels;
  const k = Math.min(options.components, d);
  const points = { data: snippets.data, rows: peaks.length, cols: d };
  // weights: shares of the work on a simulated tetrode (a CPU profile of sortGroup)
  const progress = new StagedProgress(options.onProgress, {
    pca: 1,
    isosplit: 4,
    branches: 2,
    merge: 1,
    refine: 3,
    rebuild: 1,
  });
  progress.stage('pca');
  const pca = fitPca(points, { components: k, seed, maxRows: PCA_ROWS });
  let labels = isosplit(projectPca(pca, points), { seed, testSpace: points, onProgress: progress.stage('isosplit') });
  labels = yield { points, labels, options: { components: k, seed, onProgress: progress.stage('branches') } };
  progress.stage('merge');
  labels = mergeShiftedTemplates(snippets, labels, { maxShift: Math.max(1, Math.round(fs / 10000)) });
  labels = reassignToTemplates(snippets, labels, { noiseClass: options.noiseClass });
  labels = splitByAmplitude(snippets, labels);
  labels = dropEchoes(
    peaks.map((p) => p.time),
    peaks.map((p) => p.z),
    labels,
    { window: Math.round(fs * 0.002), tolerance: Math.round(fs * 0.00025) },
  );
  let templates = buildTemplates(snippets, waveforms, labels, before);
  // Refinement: match the templates over the same data (which also recovers collided spikes), then
  // split units whose matched spikes have two amplitude modes and rebuild the templates from the
  // matched spikes, which are cleaner than the clusters were.
  const noise = options.noise;
  const matches = matchTemplates(x, w, templates, {
    noise,
    threshold: options.threshold,
    sweep: options.sweep,
    neighbours: options.neighbours,
    onProgress: progress.stage('refine'),
  });
  progress.stage('rebuild');
  const matched = Array.from(matches.times, (time) => ({ sample: Math.round(time), time, channel: 0, z: 0 }));
  const refinedSnippets = extractSnippets(w, matched, { before, after });
  const refinedWaveforms = w === x ? refinedSnippets : extractSnippets(x, matched, { before, after });
  let refined = splitByAmplitude(refinedSnippets, matches.units);
  // Second look at each unit, on its matched spikes: a unit that learning's cluster mixed with another
  // (two units of similar channel gains) can stand apart once matching has gathered its spikes.
  if (options.resplit ?? x.cols <= 4) {
    const matchedPoints = { data: refinedSnippets.data, rows: matched.length, cols: d };
    const resplit = { components: k, seed: seed + 1 };
    const split: Int32Array = yield { points: matchedPoints, labels: refined, options: resplitBranches(resplit) };
    refined = resplitMatched(matchedPoints, refined, resplit, split);
  }
  // A unit that matched only a handful of spikes was a cluster of noise or of others' spikes: it goes.
  const counts = new Map<number, number>();
  for (const l of refined) counts.set(l, (counts.get(l) ?? 0) + 1);
  const kept = refined.map((l) => ((counts.get(l) ?? 0) < MIN_SPIKES ? -1 : l));
  templates = buildTemplates(refinedSnippets, refinedWaveforms, kept, before);
  // Clusters of two units' synchronous spikes are kept for matching (a unit of their own may have
  // no other template) and reported, so curation labels them.
  const collisions = collisionTemplates(templates, refinedSnippets.data, kept, { maxLag: Math.round(0.0006 * fs) });
  progress.done();
  return { templates, pca, collisions };
}

/** Mean waveforms (µV and whitened) of each label ≥ 0, renumbered from 0, with each unit's amplitude range. */
function buildTemplates(snippets: Snippets, waveforms: Snippets, labels: Int32Array, before: number): TemplateSet {
  const d = snippets.length * snippets.channels;
  const used = [...new Set(labels)].filter((l) => l >= 0).sort((a, b) => a - b);
  const units = used.length;
  const filtered = new Float32Array(units * d),
    whitened = new Float32Array(units * d);
  used.forEach((label, u) => {
    let count = 0;
    labels.forEach((l) => l === label && count++);
    labels.forEach((l, i) => {
      if (l !== label) return;
      for (let j = 0; j < d; j++) {
        filtered[u * d + j] += waveforms.data[i * d + j] / count;
        whitened[u * d + j] += snippets.data[i * d + j] / count;
      }
    });
  });
  // Each unit's amplitude range: the scales of its members along its template, median ± 5 robust
  // SDs, never narrower than 0.75–1.33 nor wider than 0.5–2. A spike the template would explain only
  // at an amplitude its unit never has belongs to another unit (or to none).
  const scaleRange = new Float64Array(2 * units);
  used.forEach((label, u) => {
    const members: number[] = [];
    labels.forEach((l, i) => l === label && members.push(i));
    const scale = robustSpread(
      Array.from(scalesAlong(snippets.data, members, whitened.subarray(u * d, (u + 1) * d)) ?? [NaN]),
    );
    scaleRange[2 * u] = Math.max(0.5, Math.min(0.75, scale.median - 5 * scale.sd));
    scaleRange[2 * u + 1] = Math.min(2, Math.max(1.33, scale.median + 5 * scale.sd));
  });
  return { filtered, whitened, units, length: snippets.length, channels: snippets.channels, before, scaleRange };
}

type Snippets = { data: Float32Array; length: number; channels: number };

/** Median and MAD-based standard deviation. */
function robustSpread(values: number[]): { median: number; sd: number } {
  const centre = median(values);
  return { median: centre, sd: 1.4826 * median(values.map((q) => Math.abs(q - centre))) };
}
