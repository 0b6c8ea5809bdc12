import { checkNumber, checkOptionNames, maxOf, exp, pow } from '@spyglass-wasm/core';
/**
 * Splits units whose spikes' amplitudes along their own template are bimodal: the scale
 * a = ⟨x, T⟩ / ⟨T, T⟩ of a unit's spikes is one tight mode around 1, and a second mode is another
 * unit's spikes: a small neighbour whose largest events the noise lifted over the threshold and
 * whose waveform points the same way (PCA and pairwise tests miss it: the two lie on one line
 * through the origin), or a rare larger unit the clustering lumped in. The second mode becomes a
 * unit of its own, so nothing is dropped and curation sees it.
 */
export function splitByAmplitude(
  snippets: { data: Float32Array; length: number; channels: number },
  labels: Int32Array,
  options: { minSpikes?: number } = {},
): Int32Array {
  const minSpikes = options.minSpikes ?? 40;
  const dim = snippets.length * snippets.channels;
  const out = labels.slice();
  let next = maxOf(labels, -1) + 1;
  const units = next;
  for (let u = 0; u < units; u++) {
    const members: number[] = [];
    labels.forEach((l, i) => l === u && members.push(i));
    if (members.length < minSpikes) continue;
    const template = new Float64Array(dim);
    for (const i of members) for (let j = 0; j < dim; j++) template[j] += snippets.data[i * dim + j] / members.length;
    const scale = scalesAlong(snippets.data, members, template);
    if (!scale) continue;
    const split = secondModeCut(scale);
    if (!split) continue;
    // The spikes on the far side of the valley from the main mode leave: a smaller neighbour of
    // the same shape below it, or a larger unit the clustering lumped in above it.
    const low = members.filter((_, k) => (split.side === 'below' ? scale[k] < split.cut : scale[k] > split.cut));
    if (low.length < minSpikes / 4) continue;
    for (const i of low) out[i] = next;
    next++;
  }
  return out;
}

/**
 * The scale ⟨x, T⟩ / ⟨T, T⟩ of each of the `rows` of data (· × T.length) along the template T, or
 * undefined when T is zero.
 */
export function scalesAlong(
  data: Float32Array,
  rows: readonly number[],
  template: ArrayLike<number>,
): Float64Array | undefined {
  const dim = template.length;
  let tt = 0;
  for (let j = 0; j < dim; j++) tt += template[j] * template[j];
  if (tt === 0) return undefined;
  return Float64Array.from(rows, (i) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += data[i * dim + j] * template[j];
    return s / tt;
  });
}

/**
 * Where a second mode separates from the main one, by a kernel density estimate (Silverman's
 * bandwidth from the robust spread): the deepest valley, on either side of the highest peak, whose
 * density is below half the peak beyond it and beyond which lie at least `minCount` values (and
 * 5 %; default 10). A broad tail or a few outliers make no such valley; a second population does.
 *
 * @example
 * secondModeCut(amplitudeScales, { minCount: 20 }); // { cut: 0.62, side: 'below' } or undefined
 */
export function secondModeCut(
  values: ArrayLike<number>,
  options: { minCount?: number } = {},
): { cut: number; side: 'below' | 'above' } | undefined {
  checkOptionNames('secondModeCut', options, ['minCount']);
  const minCount = checkNumber('minCount', options.minCount ?? 10, { min: 0 });
  const v = Float64Array.from(values).sort();
  const n = v.length;
  const iqr = v[Math.floor(0.75 * n)] - v[Math.floor(0.25 * n)];
  let mean = 0;
  for (const q of v) mean += q / n;
  let sd = 0;
  for (const q of v) sd += (q - mean) ** 2 / n;
  const h = 0.9 * Math.min(Math.sqrt(sd), iqr / 1.34) * pow(n, -0.2);
  if (!(h > 0)) return undefined;
  const lo = v[0],
    step = h / 4,
    bins = Math.ceil((v[n - 1] - lo) / step) + 1;
  const density = new Float64Array(bins);
  for (const q of v) {
    const from = Math.max(0, Math.floor((q - 4 * h - lo) / step)),
      to = Math.min(bins - 1, Math.ceil((q + 4 * h - lo) / step));
    for (let b = from; b <= to; b++) density[b] += exp(-0.5 * ((lo + b * step - q) / h) ** 2);
  }
  let top = 0;
  for (let b = 1; b < bins; b++) if (density[b] > density[top]) top = b;
  let best: { cut: number; side: 'below' | 'above' } | undefined,
    bestRatio = 0.5;
  // Walk away from the main peak: the lowest point so far is the valley, each higher point beyond
  // it a candidate second peak.
  for (const dir of [-1, 1] as const) {
    let valley = top;
    for (let b = top + dir; b >= 0 && b < bins; b += dir) {
      if (density[b] < density[valley]) valley = b;
      const ratio = density[valley] / density[b];
      if (valley === b || ratio >= bestRatio) continue;
      const cut = lo + valley * step;
      const beyond = dir < 0 ? v.filter((q) => q < cut).length : v.filter((q) => q > cut).length;
      if (beyond >= Math.max(minCount, 0.05 * n)) {
        bestRatio = ratio;
        best = { cut, side: dir < 0 ? 'below' : 'above' };
      }
    }
  }
  return best;
}
