import { checkNumber, checkOptionNames, createRng, type Matrix } from '@spyglass-wasm/core';
import { pointsMatrix } from '../features/points.js';
import { spikeSortKernels } from '../wasm/kernels.js';

export interface KmeansOptions {
  /** How many clusters (at most the number of points). */
  clusters: number;
  /** Seed of the k-means++ choice of starting centres (default 1). */
  seed?: number;
  /** Lloyd iterations at most (default 50). */
  iterations?: number;
}

/**
 * k-means (k-means++ seeding, Lloyd iterations) on the rows of `x` (points × dimensions), seeded
 * so runs repeat. Returns a label per point (0..k−1, empty clusters removed and labels compacted).
 *
 * @example
 * const labels = kmeans({ data: features, rows: spikes, cols: 8 }, { clusters: 3, seed: 2 });
 */
export function kmeans(x: Matrix<Float32Array>, options: KmeansOptions): Int32Array {
  checkOptionNames('kmeans', options, ['clusters', 'seed', 'iterations']);
  const { data, rows, cols } = pointsMatrix(x);
  const k = checkNumber('clusters', options?.clusters, { min: 1, integer: true });
  const seed = checkNumber('seed', options.seed ?? 1, { integer: true });
  const iterations = checkNumber('iterations', options.iterations ?? 50, { min: 1, integer: true });
  return lloyd(data, rows, cols, k, seed, iterations);
}

/** kmeans on n rows of d values in x (clustering's inner loops call it on gathered rows). */
export function lloyd(x: Float32Array, n: number, d: number, k: number, seed: number, iterations: number): Int32Array {
  const labels = new Int32Array(n);
  if (n === 0) return labels;
  k = Math.max(1, Math.min(k, n));
  const rng = createRng(seed);
  const centers = new Float64Array(k * d);
  const dist2 = (i: number, c: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (x[i * d + j] - centers[c * d + j]) ** 2;
    return s;
  };
  const first = rng.int(n);
  for (let j = 0; j < d; j++) centers[j] = x[first * d + j];
  const closest = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      closest[i] = Math.min(closest[i], dist2(i, c - 1));
      total += closest[i];
    }
    let r = rng.uniform() * total,
      pick = n - 1;
    for (let i = 0; i < n; i++)
      if ((r -= closest[i]) <= 0) {
        pick = i;
        break;
      }
    for (let j = 0; j < d; j++) centers[c * d + j] = x[pick * d + j];
  }
  // the assignment step (n · k · d) runs in Wasm, the rows copied in once
  const { exports: kernels, heap } = spikeSortKernels.get();
  heap.scoped(() => {
    const pX = heap.put(x.subarray(0, n * d)),
      pCenters = heap.alloc(k * d * 8),
      pLabels = heap.alloc(n * 4);
    heap.i32(pLabels, n).fill(0);
    for (let it = 0; it < iterations; it++) {
      heap.f64(pCenters, k * d).set(centers);
      const changed = kernels.assignNearest(pX, n, d, pCenters, k, pLabels) > 0;
      labels.set(heap.i32(pLabels, n));
      updateCenters(x, n, d, labels, centers, k);
      if (!changed && it > 0) break;
    }
  });
  return compactLabels(labels);
}

/** Each centre the mean of its rows, summed in row order (an empty cluster's centre is 0). */
function updateCenters(x: Float32Array, n: number, d: number, labels: Int32Array, centers: Float64Array, k: number) {
  const counts = new Float64Array(k);
  centers.fill(0);
  for (let i = 0; i < n; i++) {
    counts[labels[i]]++;
    for (let j = 0; j < d; j++) centers[labels[i] * d + j] += x[i * d + j];
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centers[c * d + j] /= counts[c] || 1;
}

/** Renumbers labels 0..m−1 in order of first appearance of each distinct label. */
export function compactLabels(labels: Int32Array): Int32Array {
  const map = new Map<number, number>();
  return labels.map((l) => {
    if (!map.has(l)) map.set(l, map.size);
    return map.get(l)!;
  });
}
