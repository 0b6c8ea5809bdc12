import {
  checkNumber,
  checkOptionNames,
  ParameterError,
  StagedProgress,
  type Matrix,
  type ProgressCallback,
  norm,
} from '@spyglass-wasm/core';
import { pointsMatrix } from '../features/points.js';
import { spikeSortKernels } from '../wasm/kernels.js';
import { compactLabels, lloyd } from './kmeans.js';
import { isUnimodal } from './unimodality.js';

export interface IsosplitOptions {
  /** Clusters of the initial over-clustering (default min(30, n / 30)). */
  initialClusters?: number;
  seed?: number;
  /** Smallest cluster kept apart; smaller ones join their nearest neighbour (default 10). */
  minClusterSize?: number;
  /**
   * Points in a richer space for the pair tests (e.g. the full waveforms behind PCA features):
   * the projection onto the difference of two clusters' means there is the matched-filter
   * direction, where two small units that the top components barely separate stand apart.
   */
  testSpace?: Matrix<Float32Array>;
  /** Fraction done, 0..1, from inside the merge and split loops (an estimate: clusters left to merge, split rounds). */
  onProgress?: ProgressCallback;
}

/**
 * Clustering that needs no number of clusters, in the spirit of isosplit: over-cluster with
 * k-means, then repeatedly take the closest pair of clusters and project both onto the line
 * through their centres; if the projection is one population (isUnimodal) they merge, otherwise
 * their points are redistributed by the 2-means cut along that line. Then each cluster is tested
 * for a split the same way. Deterministic for a seed. `x` is points × dimensions (e.g. PCA
 * features); the result is a label per point.
 *
 * @example
 * const labels = isosplit(projectPca(pca, waveforms), { seed: 2, testSpace: waveforms });
 */
export function isosplit(points: Matrix<Float32Array>, options: IsosplitOptions = {}): Int32Array {
  return isosplitWith(points, options, true);
}

/** isosplit; `remember`: reuse side sums and settled pair tests (the same result, less work). */
function isosplitWith(points: Matrix<Float32Array>, options: IsosplitOptions, remember: boolean): Int32Array {
  checkOptionNames('isosplit', options, ['initialClusters', 'seed', 'minClusterSize', 'testSpace', 'onProgress']);
  const { data: x, rows: n, cols: d } = pointsMatrix(points);
  const testSpace = options.testSpace ? pointsMatrix(options.testSpace, 'testSpace') : undefined;
  if (testSpace && testSpace.rows !== n)
    throw new ParameterError('testSpace', `${n} rows (one per point)`, testSpace.rows);
  if (n === 0) return new Int32Array(0);
  const seed = checkNumber('seed', options.seed ?? 1, { integer: true });
  const k0 = options.initialClusters ?? Math.max(1, Math.min(30, Math.floor(n / 30)));
  checkNumber('initialClusters', k0, { min: 1, integer: true });
  const test = testSpace ? { data: testSpace.data, dim: testSpace.cols } : { data: x, dim: d };
  // weights: rough shares of the time on a tetrode's features; the split rounds each merge again
  const progress = new StagedProgress(options.onProgress, { kmeans: 1, merge: 3, split: 4 });
  const { heap } = spikeSortKernels.get();
  // the test space goes into Wasm memory once for every pair test of this call
  return heap.scoped(() => {
    const projectRows = wasmProjectRows(test.data.subarray(0, n * test.dim), test.dim, remember);
    const settled = remember ? new SettledPairs() : undefined;
    return clusterAndTest(x, n, d, k0, seed, projectRows, progress, options.minClusterSize ?? 10, settled);
  });
}

/**
 * isosplit without remembering anything between pair tests (every side's sums and every test
 * done again): the plain loops the remembered results must equal, for tests.
 */
export function isosplitUncached(points: Matrix<Float32Array>, options: IsosplitOptions = {}): Int32Array {
  return isosplitWith(points, options, false);
}

/** isosplit's k-means, merge and split rounds (`projectRows` projects pairs in the test space). */
function clusterAndTest(
  x: Float32Array,
  n: number,
  d: number,
  k0: number,
  seed: number,
  projectRows: ProjectRows,
  progress: StagedProgress<'kmeans' | 'merge' | 'split'>,
  minClusterSize: number,
  settled: SettledPairs | undefined,
): Int32Array {
  progress.stage('kmeans');
  let labels = lloyd(x, n, d, k0, seed, 50);
  labels = mergePhase(x, n, d, labels, projectRows, settled, progress.stage('merge'));
  const splitDone = progress.stage('split');
  // Split clusters whose 2-means halves are two populations, then merge again.
  for (let round = 0; round < 5; round++) {
    splitDone(round / 5);
    let split = false;
    const k = largest(labels) + 1;
    for (let c = 0; c < k; c++) {
      const idx = indicesOf(labels, c);
      if (idx.length < 40) continue;
      const halves = lloyd(gather(x, idx, d), idx.length, d, 2, seed + c, 50);
      if (largest(halves) === 0) continue;
      if (!isUnimodal(projectRows(idx, halves, 0))) {
        const next = largest(labels) + 1;
        idx.forEach((i, j) => halves[j] === 1 && (labels[i] = next));
        split = true;
      }
    }
    if (!split) break;
    labels = mergePhase(x, n, d, labels, projectRows, settled);
  }
  const result = absorbSmall(x, n, d, labels, minClusterSize);
  progress.done();
  return result;
}

function mergePhase(
  x: Float32Array,
  n: number,
  d: number,
  labels: Int32Array,
  projectRows: ProjectRows,
  settled: SettledPairs | undefined,
  onProgress?: ProgressCallback,
): Int32Array {
  // Pairs found to be two populations (by cluster number, until a merge renumbers them), and the
  // centres, of which a redistribution changes only the pair's two (recomputed alike).
  let size = largest(labels) + 1;
  const startK = size;
  let tested = new Uint8Array(size * size);
  let centers: Float64Array | undefined,
    centersK = -1;
  for (let guard = 0; guard < 10_000; guard++) {
    const k = largest(labels) + 1;
    // an estimate: most pairs tested end in a merge, so the clusters left say how far it is
    if (startK > 1) onProgress?.((startK - k) / (startK - 1));
    if (!centers || k !== centersK) {
      centers = centroids(x, n, d, labels, k);
      centersK = k;
    }
    let best: [number, number] | undefined,
      bestDist = Infinity;
    for (let a = 0; a < k; a++)
      for (let b = a + 1; b < k; b++) {
        if (tested[a * size + b]) continue;
        let s = 0;
        for (let j = 0; j < d; j++) s += (centers[a * d + j] - centers[b * d + j]) ** 2;
        if (s < bestDist) {
          bestDist = s;
          best = [a, b];
        }
      }
    if (!best) break;
    const [a, b] = best;
    const rowsA = indicesOf(labels, a),
      rowsB = indicesOf(labels, b);
    // the same two clusters, in the same order, were two populations and cut where they are: so again
    if (settled?.has(rowsA, rowsB)) {
      tested[a * size + b] = 1;
      continue;
    }
    const idx = [...rowsA, ...rowsB];
    const pairLabels = Int32Array.from(idx, (i) => (labels[i] === a ? 0 : 1));
    const proj = projectRows(idx, pairLabels, 0);
    if (isUnimodal(proj)) {
      for (let i = 0; i < n; i++) if (labels[i] === b) labels[i] = a;
      labels = compactLabels(labels);
      // Cluster numbers changed.
      size = largest(labels) + 1;
      tested = new Uint8Array(size * size);
      centers = undefined;
    } else {
      // Redistribute along the line: each point to the side of the best 1-D cut it falls on.
      const cut = twoMeansCut(proj);
      let moved = 0;
      idx.forEach((i, j) => {
        const side = proj[j] < cut ? a : b;
        if (side !== labels[i]) moved++;
        labels[i] = side;
      });
      tested[a * size + b] = 1;
      if (moved) recentre(x, n, d, labels, centers, [a, b]);
      else settled?.add(rowsA, rowsB);
    }
  }
  return compactLabels(labels);
}

/**
 * Pairs of clusters (their rows, in test order) found to be two populations whose cut moved no
 * point. The test is a function of the two row lists alone (the projection, isUnimodal and the cut
 * read nothing else), so the same pair tested again gives the same answer and leaves the labels as
 * they are: it is skipped. Keyed by the first row of each (a cluster's first row names it whatever
 * its number); the rows are compared in full.
 */
class SettledPairs {
  private readonly pairs = new Map<string, { a: Int32Array; b: Int32Array }>();

  has(a: readonly number[], b: readonly number[]): boolean {
    const pair = this.pairs.get(`${a[0]} ${b[0]}`);
    return !!pair && sameRows(pair.a, a) && sameRows(pair.b, b);
  }

  add(a: readonly number[], b: readonly number[]): void {
    this.pairs.set(`${a[0]} ${b[0]}`, { a: Int32Array.from(a), b: Int32Array.from(b) });
  }
}

function sameRows(kept: Int32Array, rows: ArrayLike<number>): boolean {
  if (kept.length !== rows.length) return false;
  for (let i = 0; i < kept.length; i++) if (kept[i] !== rows[i]) return false;
  return true;
}

/** Recomputes the centres of `clusters` in place, summing as `centroids` does (rows in order). */
function recentre(
  x: Float32Array,
  n: number,
  d: number,
  labels: Int32Array,
  centers: Float64Array,
  clusters: readonly number[],
): void {
  for (const c of clusters) {
    let count = 0;
    centers.fill(0, c * d, (c + 1) * d);
    for (let i = 0; i < n; i++) {
      if (labels[i] !== c) continue;
      count++;
      for (let j = 0; j < d; j++) centers[c * d + j] += x[i * d + j];
    }
    for (let j = 0; j < d; j++) centers[c * d + j] /= count || 1;
  }
}

/**
 * Rows `rows` of a points matrix projected on the line through the centroids of label p and of the
 * other label (labels[j] is row rows[j]'s), without copying them out: `projectRows(rows, labels, p)`.
 */
type ProjectRows = (rows: ArrayLike<number>, labels: Int32Array, p: number) => Float64Array;

/**
 * ProjectRows over `data` (· × d), copied into Wasm memory once (call inside a `heap.scoped`): the
 * centroid sums and the projections run in Wasm (`pairSums`, `projectOnLine`), the same float64
 * sums in the same order as plain loops, so the projections are the same to the bit. With
 * `remember`, each side's sums are kept with its rows and reused while a side has exactly those
 * rows (a side's sum is its rows added in their order, whichever side it was tested beside).
 */
function wasmProjectRows(data: Float32Array, d: number, remember: boolean): ProjectRows {
  const { exports: kernels, heap } = spikeSortKernels.get();
  const pData = heap.put(data);
  const kept = new Map<number, { rows: Int32Array; sums: Float64Array }>();
  const sideSums = (rows: Int32Array): Float64Array => {
    const known = remember && rows.length ? kept.get(rows[0]) : undefined;
    if (known && sameRows(known.rows, rows)) return known.sums;
    const sums = heap.scoped(() => {
      const pSums = heap.alloc(d * 8);
      heap.f64(pSums, d).fill(0);
      kernels.pairSums(pData, d, heap.put(rows), heap.put(new Int32Array(rows.length)), rows.length, pSums, pSums);
      return heap.f64(pSums, d).slice();
    });
    if (remember && rows.length) kept.set(rows[0], { rows, sums });
    return sums;
  };
  return (rows, labels, p) =>
    heap.scoped(() => {
      const n = labels.length;
      let np = 0;
      for (let i = 0; i < n; i++) if (labels[i] === p) np++;
      const pSide = new Int32Array(np),
        qSide = new Int32Array(n - np);
      for (let i = 0, ip = 0, iq = 0; i < n; i++) {
        if (labels[i] === p) pSide[ip++] = rows[i];
        else qSide[iq++] = rows[i];
      }
      const nq = n - np;
      const cp = sideSums(pSide).slice(),
        cq = sideSums(qSide).slice();
      for (let j = 0; j < d; j++) {
        cp[j] /= np || 1;
        cq[j] /= nq || 1;
      }
      const dir = cq.map((v, j) => v - cp[j]);
      const length = norm(dir) || 1;
      const pRows = heap.put(Int32Array.from(rows)),
        pCentre = heap.put(cp),
        pDir = heap.put(dir),
        pOut = heap.alloc(n * 8);
      kernels.projectOnLine(pData, d, pRows, n, pCentre, pDir, length, pOut);
      return heap.f64(pOut, n).slice();
    });
}

/** The threshold that best splits 1-D values into two groups (minimum within-group variance). */
function twoMeansCut(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  const prefix = new Float64Array(n + 1),
    prefix2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    prefix[i + 1] = prefix[i] + s[i];
    prefix2[i + 1] = prefix2[i] + s[i] * s[i];
  }
  let best = 1,
    bestCost = Infinity;
  for (let i = 1; i < n; i++) {
    const cost = prefix2[i] - prefix[i] ** 2 / i + (prefix2[n] - prefix2[i]) - (prefix[n] - prefix[i]) ** 2 / (n - i);
    if (cost < bestCost) {
      bestCost = cost;
      best = i;
    }
  }
  return (s[best - 1] + s[best]) / 2;
}

function absorbSmall(x: Float32Array, n: number, d: number, labels: Int32Array, minSize: number): Int32Array {
  for (let guard = 0; guard < 1000; guard++) {
    const k = largest(labels) + 1;
    if (k <= 1) break;
    const counts = new Int32Array(k);
    for (const l of labels) counts[l]++;
    const small = counts.findIndex((c) => c < minSize);
    if (small < 0) break;
    const centers = centroids(x, n, d, labels, k);
    let target = -1,
      bd = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === small) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += (centers[c * d + j] - centers[small * d + j]) ** 2;
      if (s < bd) {
        bd = s;
        target = c;
      }
    }
    for (let i = 0; i < n; i++) if (labels[i] === small) labels[i] = target;
    labels = compactLabels(labels);
  }
  return labels;
}

function centroids(x: Float32Array, n: number, d: number, labels: Int32Array, k: number): Float64Array {
  const c = new Float64Array(k * d),
    counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    counts[labels[i]]++;
    for (let j = 0; j < d; j++) c[labels[i] * d + j] += x[i * d + j];
  }
  for (let a = 0; a < k; a++) for (let j = 0; j < d; j++) c[a * d + j] /= counts[a] || 1;
  return c;
}

function indicesOf(labels: Int32Array, c: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === c) out.push(i);
  return out;
}

export function gather(x: Float32Array, idx: number[], d: number): Float32Array {
  const out = new Float32Array(idx.length * d);
  idx.forEach((i, j) => out.set(x.subarray(i * d, (i + 1) * d), j * d));
  return out;
}

/** The largest label (−Infinity for none), without spreading a long array into arguments. */
function largest(labels: Int32Array): number {
  let top = -Infinity;
  for (const l of labels) if (l > top) top = l;
  return top;
}
