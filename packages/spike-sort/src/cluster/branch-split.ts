import {
  checkOptionNames,
  createRng,
  ParameterError,
  StagedProgress,
  symmetricEigen,
  type Matrix,
  type ProgressCallback,
  maxOf,
} from '@spyglass-wasm/core';
import { fitPca, PCA_ROWS, projectPca } from '../features/pca.js';
import { pointsMatrix } from '../features/points.js';
import { gather } from './isosplit.js';
import { ANY_DIP, centralCut, isUnimodal } from './unimodality.js';

export interface BranchSplitOptions {
  /** Principal components of each cluster's own waveforms (default 8). */
  components?: number;
  seed?: number;
  /** How many times a piece is examined again (default 3). */
  depth?: number;
  /** Smallest cluster that is examined (default 60). */
  minSize?: number;
  /** Points each cluster's axes are fitted to, at most, evenly spaced (default PCA_ROWS, 3000). */
  pcaRows?: number;
  /** Fraction done, 0..1, after each cluster examined (clusters examined / examined + queued: an estimate). */
  onProgress?: ProgressCallback;
}

/**
 * Looks for a split of each cluster along principal axes of its own waveforms, recursively, in the
 * spirit of MountainSort 4's branch method. Global axes spend their variance on the largest units
 * and on overlapping spikes; two smaller units of similar shape can sit on one global blob yet
 * stand apart along an axis fitted to that blob alone. A split is kept only when points held out
 * of the search confirm it (axisSplit). `points` is spikes × dim (the waveforms behind the labels,
 * one row per label); labels < 0 are left alone.
 *
 * @example
 * const dim = snippets.length * snippets.channels;
 * labels = splitBranches({ data: snippets.data, rows: labels.length, cols: dim }, labels, { seed: 2 });
 */
export function splitBranches(
  points: Matrix<Float32Array>,
  labels: Int32Array,
  options: BranchSplitOptions = {},
): Int32Array {
  checkOptionNames('splitBranches', options, ['components', 'seed', 'depth', 'minSize', 'pcaRows', 'onProgress']);
  const { data: waveforms, rows, cols: dim } = pointsMatrix(points);
  if (labels.length !== rows) throw new ParameterError('labels', `${rows} labels (one per row of points)`, labels);
  const depth = options.depth ?? 3;
  const minSize = options.minSize ?? 60;
  const seed = options.seed ?? 1;
  const out = labels.slice();
  let next = maxOf(labels, -1) + 1;
  const queue = [...new Set(labels)].filter((l) => l >= 0).map((label) => ({ label, level: 0 }));
  const progress = new StagedProgress(options.onProgress, { branches: 1 });
  const examined = progress.stage('branches');
  let done = 0;
  while (queue.length) {
    examined(done / (done + queue.length)); // only increases: StagedProgress keeps the largest
    done++;
    const { label, level } = queue.shift()!;
    const idx: number[] = [];
    out.forEach((l, i) => l === label && idx.push(i));
    if (idx.length < minSize || level >= depth) continue;
    const sub = gather(waveforms, idx, dim);
    const k = Math.min(options.components ?? 8, dim);
    const subPoints = { data: sub, rows: idx.length, cols: dim };
    const pca = fitPca(subPoints, { components: k, seed: seed + level, maxRows: options.pcaRows ?? PCA_ROWS });
    const parts = axisSplit(projectPca(pca, subPoints).data, sub, idx.length, k, dim, seed + level);
    if (!parts) continue;
    // Side 0 keeps the label, side 1 gets a new one; both are examined again.
    const other = next++;
    idx.forEach((i, j) => parts[j] === 1 && (out[i] = other));
    queue.push({ label, level: level + 1 }, { label: other, level: level + 1 });
  }
  progress.done();
  return firstAppearance(out);
}

/** Labels renumbered 0..m−1 in order of first appearance; negative labels stay. */
function firstAppearance(out: Int32Array): Int32Array {
  const renumber = new Map<number, number>();
  return out.map((l) => (l < 0 ? l : (renumber.get(l) ?? (renumber.set(l, renumber.size), renumber.size - 1))));
}

/** Some clusters' rows (in row order), their labels and splitBranches' options: work that may run elsewhere. */
export interface BranchPart {
  points: Matrix<Float32Array>;
  labels: Int32Array;
  options: Omit<BranchSplitOptions, 'onProgress'>;
}

/**
 * splitBranches with its clusters shared between this thread and `elsewhere` (a worker's
 * splitBranches of the part it is given, or undefined when it declines): each cluster's splits read
 * its own rows only and its pieces are renumbered by first appearance at the end, so the clusters
 * can be split apart and the labels are splitBranches' to the bit. About half the work (clusters by
 * size, largest first, to the lighter side) goes `elsewhere`, sent before this thread starts on the rest;
 * its buffer may be transferred.
 */
export async function splitBranchesShared(
  points: Matrix<Float32Array>,
  labels: Int32Array,
  options: BranchSplitOptions,
  elsewhere: (part: BranchPart) => Promise<Int32Array | undefined>,
): Promise<Int32Array> {
  checkOptionNames('splitBranches', options, ['components', 'seed', 'depth', 'minSize', 'pcaRows', 'onProgress']);
  const { data, rows, cols: dim } = pointsMatrix(points);
  if (labels.length !== rows) throw new ParameterError('labels', `${rows} labels (one per row of points)`, labels);
  const { onProgress, ...settings } = options;
  const members = new Map<number, number[]>();
  labels.forEach((l, i) => l >= 0 && (members.get(l) ?? (members.set(l, []), members.get(l)!)).push(i));
  // a cluster's cost: its PCA (on at most pcaRows rows) and its axis search (all rows); none below minSize
  const cap = settings.pcaRows ?? PCA_ROWS,
    minSize = settings.minSize ?? 60;
  const cost = (n: number) => (n < minSize ? 0 : Math.min(n, cap) + n);
  const sides: number[][][] = [[], []],
    load = [0, 0];
  for (const rowsOf of [...members.values()].sort((a, b) => cost(b.length) - cost(a.length))) {
    const side = cost(rowsOf.length) > 0 && load[1] < load[0] ? 1 : 0;
    sides[side].push(rowsOf);
    load[side] += cost(rowsOf.length);
  }
  const part = (clusters: number[][]): { rows: Int32Array; part: BranchPart } => {
    const at = Int32Array.from(clusters.flat()).sort();
    const sub = gather(data, Array.from(at), dim);
    return {
      rows: at,
      part: { points: { data: sub, rows: at.length, cols: dim }, labels: at.map((i) => labels[i]), options: settings },
    };
  };
  const there = sides[1].length ? part(sides[1]) : undefined;
  const pending = there ? elsewhere(there.part) : Promise.resolve(undefined);
  const here = part(sides[0]);
  const local = splitBranches(here.part.points, here.part.labels, { ...settings, onProgress });
  const pieces = [{ rows: here.rows, split: local }];
  if (there) {
    // declined: done here, from rows gathered again (the part's buffer may have gone with it)
    let split = await pending;
    if (!split) {
      const again = part(sides[1]).part;
      split = splitBranches(again.points, again.labels, settings);
    }
    pieces.push({ rows: there.rows, split });
  }
  // each side's pieces apart, then renumbered as splitBranches does: in order of first appearance
  const out = labels.slice();
  let offset = 0;
  for (const { rows: at, split } of pieces) {
    at.forEach((i, j) => (out[i] = offset + split[j]));
    offset += maxOf(split, -1) + 1;
  }
  return firstAppearance(out);
}

/**
 * Two populations that isosplit's 2-means halves cut across: 2-means splits along the cluster's
 * largest spread (in dense data, spikes overlapping others'), while two units of similar shape may
 * differ along a smaller principal axis. From a cut across each axis in turn, the two sides are
 * refined by cutting along their Fisher discriminant (which, unlike the line between the means,
 * is not drawn to the directions of largest spread). The search runs on a random half of the
 * points and is judged on the rest: the held-out waveforms, projected on the line between the two sides'
 * means, must be two populations. A search over axes always finds some direction in which one
 * population looks split; held-out points show whether the split is real.
 */
function axisSplit(
  features: Float32Array,
  waveforms: Float32Array,
  n: number,
  k: number,
  dim: number,
  seed: number,
): Int32Array | undefined {
  // a seeded random half searches, the other half judges
  const rng = createRng(seed);
  const search: number[] = [],
    held: number[] = [];
  for (let i = 0; i < n; i++) (rng.uniform() < 0.5 ? search : held).push(i);
  const f = gather(features, search, k),
    m = search.length;
  const searchWaveforms = gather(waveforms, search, dim),
    heldWaveforms = gather(waveforms, held, dim);
  const minSide = Math.max(10, 0.05 * m);
  for (let c = 0; c < k; c++) {
    let labels = cutAt(Float64Array.from({ length: m }, (_, i) => f[i * k + c]));
    for (let round = 0; round < 10 && labels; round++) {
      const next = cutAt(project(f, k, fisherDirection(f, k, labels)));
      if (!next || next.every((l, i) => l === labels![i])) break;
      labels = next;
    }
    if (!labels) continue;
    let ones = 0;
    for (const l of labels) ones += l;
    if (Math.min(ones, m - ones) < minSide) continue;
    const direction = meanDifference(searchWaveforms, dim, labels);
    if (isUnimodal(project(heldWaveforms, dim, direction), { valley: ANY_DIP })) continue;
    return cutAt(project(waveforms, dim, direction));
  }
  return undefined;
}

/** Fisher's discriminant of two labelled groups: the pooled within-group covariance⁻¹ · (mean₁ − mean₀). */
export function fisherDirection(x: Float32Array, dim: number, labels: Int32Array): Float64Array {
  const mean = groupMeans(x, dim, labels);
  const within = new Float64Array(dim * dim),
    row = new Float64Array(dim);
  const n = labels.length;
  labels.forEach((l, i) => {
    for (let j = 0; j < dim; j++) row[j] = x[i * dim + j] - mean[l][j];
    for (let a = 0; a < dim; a++) for (let b = a; b < dim; b++) within[a * dim + b] += (row[a] * row[b]) / n;
  });
  // the lower triangle is the upper's mirror: row[b] · row[a] is row[a] · row[b], added in the same order
  for (let a = 1; a < dim; a++) for (let b = 0; b < a; b++) within[a * dim + b] = within[b * dim + a];
  // solve within · w = Δmean through its eigenpairs (dim is the number of features, ~8)
  const { values, vectors } = symmetricEigen({ data: within, rows: dim, cols: dim });
  const top = Math.max(...values);
  const w = new Float64Array(dim);
  for (let r = 0; r < dim; r++) {
    if (!(values[r] > 1e-12 * top)) continue; // a direction without spread
    let c = 0;
    for (let j = 0; j < dim; j++) c += vectors[j * dim + r] * (mean[1][j] - mean[0][j]);
    for (let j = 0; j < dim; j++) w[j] += (c / values[r]) * vectors[j * dim + r];
  }
  return w;
}

/** Mean of the points labelled 1 minus mean of those labelled 0. */
function meanDifference(x: Float32Array, dim: number, labels: Int32Array): Float64Array {
  const [m0, m1] = groupMeans(x, dim, labels);
  return m1.map((q, j) => q - m0[j]);
}

/** The means of the rows of x (· × dim) labelled 0 and of those labelled 1. */
function groupMeans(x: Float32Array, dim: number, labels: Int32Array): [Float64Array, Float64Array] {
  const mean: [Float64Array, Float64Array] = [new Float64Array(dim), new Float64Array(dim)],
    count = [0, 0];
  labels.forEach((l, i) => {
    count[l]++;
    for (let j = 0; j < dim; j++) mean[l][j] += x[i * dim + j];
  });
  for (const l of [0, 1]) for (let j = 0; j < dim; j++) mean[l][j] /= count[l];
  return mean;
}

/** Each row of x (· × dim) dotted with `direction`. */
function project(x: Float32Array, dim: number, direction: Float64Array): Float64Array {
  return Float64Array.from({ length: x.length / dim }, (_, i) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += x[i * dim + j] * direction[j];
    return s;
  });
}

/**
 * The two sides of the best two-group cut (among the central 96 %: outliers do not draw it), or undefined when one side
 * is empty.
 */
function cutAt(values: Float64Array): Int32Array | undefined {
  const n = values.length;
  const cut = centralCut(Float64Array.from(values).sort());
  const labels = Int32Array.from(values, (q) => (q > cut ? 1 : 0));
  const ones = labels.reduce((a, l) => a + l, 0);
  return ones === 0 || ones === n ? undefined : labels;
}
