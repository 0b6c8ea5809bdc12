/**
 * Template matching: each spike goes to the cluster whose mean waveform it matches best (least
 * squares in the whitened waveform space, where noise is the same in every direction), repeated
 * until stable. With `noiseClass`, the zero waveform competes too: a threshold crossing better
 * explained by noise alone is labelled −1 and leaves every unit. Recovers spikes the clustering's
 * cuts put on the wrong side and sheds the noise crossings a low threshold lets in.
 */
export function reassignToTemplates(
  snippets: { data: Float32Array; length: number; channels: number },
  labels: Int32Array,
  options: { iterations?: number; noiseClass?: boolean } = {},
): Int32Array {
  const iterations = options.iterations ?? 5;
  const dim = snippets.length * snippets.channels;
  const n = labels.length;
  if (n === 0) return labels;
  let current = labels.slice();
  for (let it = 0; it < iterations; it++) {
    const k = Math.max(-1, ...current) + 1;
    const templates = new Float64Array(k * dim);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      if (current[i] < 0) continue;
      counts[current[i]]++;
      for (let j = 0; j < dim; j++) templates[current[i] * dim + j] += snippets.data[i * dim + j];
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < dim; j++) templates[c * dim + j] /= counts[c] || 1;
    const next = new Int32Array(n);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = current[i],
        bestD = Infinity;
      if (options.noiseClass) {
        best = -1;
        bestD = 0;
        for (let j = 0; j < dim; j++) bestD += snippets.data[i * dim + j] ** 2;
      }
      for (let c = 0; c < k; c++) {
        if (!counts[c]) continue;
        const dsum = distanceBelow(snippets.data, i * dim, templates, c * dim, dim, bestD);
        if (dsum < bestD) {
          bestD = dsum;
          best = c;
        }
      }
      next[i] = best;
      if (best !== current[i]) changed++;
    }
    current = next;
    if (changed === 0) break;
  }
  return current;
}

/**
 * Squared distance between two rows, summed in index order; stops early (returning a partial sum
 * ≥ `bound`) once the sum reaches `bound`: the sum of squares only grows, so the caller's
 * `< bound` test gives the same answer as the full sum would.
 */
function distanceBelow(
  a: Float32Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  dim: number,
  bound: number,
): number {
  let s = 0;
  for (let j0 = 0; j0 < dim; j0 += 32) {
    const end = Math.min(dim, j0 + 32);
    for (let j = j0; j < end; j++) {
      const d = a[aOffset + j] - b[bOffset + j];
      s += d * d;
    }
    if (s >= bound) return s;
  }
  return s;
}
