import { createRng } from '@spyglass-wasm/core';

/**
 * k-means (k-means++ seeding, Lloyd iterations) on n points of dimension d, seeded so runs repeat.
 * Returns a label per point (0..k−1, empty clusters removed and labels compacted).
 */
export function kmeans(x: Float32Array, n: number, d: number, k: number, seed = 1, iterations = 50): Int32Array {
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
  for (let it = 0; it < iterations; it++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0,
        bd = Infinity;
      for (let c = 0; c < k; c++) {
        const dd = dist2(i, c);
        if (dd < bd) {
          bd = dd;
          best = c;
        }
      }
      if (labels[i] !== best || it === 0) changed = changed || labels[i] !== best;
      labels[i] = best;
    }
    const counts = new Float64Array(k);
    centers.fill(0);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let j = 0; j < d; j++) centers[labels[i] * d + j] += x[i * d + j];
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centers[c * d + j] /= counts[c] || 1;
    if (!changed && it > 0) break;
  }
  return compactLabels(labels);
}

/** Renumbers labels 0..m−1 in order of first appearance of each distinct label. */
export function compactLabels(labels: Int32Array): Int32Array {
  const map = new Map<number, number>();
  return labels.map((l) => {
    if (!map.has(l)) map.set(l, map.size);
    return map.get(l)!;
  });
}
