
/**
 * Splits units whose spikes' amplitudes along their own template are bimodal: the scale
 * a = ⟨x, T⟩ / ⟨T, T⟩ of a unit's spikes is one tight mode around 1, and a second, lower mode is
 * another unit's spikes, usually a small neighbour whose largest events the noise lifted over the
 * threshold and whose waveform points the same way. PCA and pairwise tests miss it (the two lie on
 * one line through the origin); the amplitude distribution does not. The lower mode becomes a unit
 * of its own, so nothing is dropped and curation sees it.
 */
export function splitByAmplitude(
  snippets: { data: Float32Array; length: number; channels: number },
  labels: Int32Array,
  options: { minSpikes?: number } = {},
): Int32Array {
  const minSpikes = options.minSpikes ?? 40;
  const dim = snippets.length * snippets.channels;
  const out = labels.slice();
  let next = Math.max(-1, ...labels) + 1;
  const units = next;
  for (let u = 0; u < units; u++) {
    const members: number[] = [];
    labels.forEach((l, i) => l === u && members.push(i));
    if (members.length < minSpikes) continue;
    const template = new Float64Array(dim);
    for (const i of members) for (let j = 0; j < dim; j++) template[j] += snippets.data[i * dim + j] / members.length;
    let tt = 0;
    for (let j = 0; j < dim; j++) tt += template[j] * template[j];
    if (tt === 0) continue;
    const scale = Float64Array.from(members, (i) => {
      let s = 0;
      for (let j = 0; j < dim; j++) s += snippets.data[i * dim + j] * template[j];
      return s / tt;
    });
    const cut = lowerModeCut(scale);
    if (cut === undefined) continue;
    const low = members.filter((_, k) => scale[k] < cut);
    if (low.length < minSpikes / 4 || low.length > members.length / 2) continue; // the unit is its upper mode
    for (const i of low) out[i] = next;
    next++;
  }
  return out;
}

/**
 * Where a lower mode separates from the main one, by a kernel density estimate (Silverman's
 * bandwidth from the robust spread): the valley left of the highest peak whose density is below
 * half the peak beyond it. A broad tail or a few outliers make no such valley; a second
 * population does. Undefined when there is none.
 */
export function lowerModeCut(values: ArrayLike<number>, minCount = 10): number | undefined {
  const v = Float64Array.from(values).sort();
  const n = v.length;
  const iqr = v[Math.floor(0.75 * n)] - v[Math.floor(0.25 * n)];
  let mean = 0;
  for (const q of v) mean += q / n;
  let sd = 0;
  for (const q of v) sd += (q - mean) ** 2 / n;
  const h = 0.9 * Math.min(Math.sqrt(sd), iqr / 1.34) * n ** -0.2;
  if (!(h > 0)) return undefined;
  const lo = v[0], step = h / 4, bins = Math.ceil((v[n - 1] - lo) / step) + 1;
  const density = new Float64Array(bins);
  for (const q of v) {
    const from = Math.max(0, Math.floor((q - 4 * h - lo) / step)), to = Math.min(bins - 1, Math.ceil((q + 4 * h - lo) / step));
    for (let b = from; b <= to; b++) density[b] += Math.exp(-0.5 * ((lo + b * step - q) / h) ** 2);
  }
  let top = 0;
  for (let b = 1; b < bins; b++) if (density[b] > density[top]) top = b;
  // Walk left from the main peak: the lowest point so far is the valley, each higher point beyond it
  // a candidate lower peak. A candidate needs a population below the valley, not a few outliers.
  let valley = top, best: number | undefined, bestRatio = 0.5;
  for (let b = top - 1; b >= 0; b--) {
    if (density[b] < density[valley]) valley = b;
    const ratio = density[valley] / density[b];
    if (valley === b || ratio >= bestRatio) continue;
    const cut = lo + valley * step;
    let below = 0;
    while (below < n && v[below] < cut) below++;
    if (below >= Math.max(minCount, 0.05 * n)) {
      bestRatio = ratio;
      best = cut;
    }
  }
  return best;
}
