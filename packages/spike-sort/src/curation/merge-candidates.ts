import { checkNumber } from '@spyglass-wasm/core';

/** A pair of units that look like one neuron split in two, with the evidence. */
export interface MergeCandidate {
  a: number;
  b: number;
  /** Cosine similarity of the two templates over every channel and sample (1: the same shape). */
  similarity: number;
  /**
   * Spikes of the pair within ±refractory of each other, over the number expected by chance (a dip < 1 is one neuron's
   * refractory period).
   */
  refractoryRatio: number;
}

export interface MergeCandidateOptions {
  /** Template cosine similarity at or above which a pair is considered (default 0.9). */
  minSimilarity?: number;
  /**
   * Coincidence window (s, default 0.0015) and the ratio below which the cross-correlogram counts as a refractory dip
   * (default 0.5).
   */
  refractory?: number;
  maxRefractoryRatio?: number;
  /** Recording duration (s), for the chance rate of coincidences. */
  duration: number;
}

/**
 * Pairs of units that are probably one neuron over-split, by two of SpikeInterface's auto-merge
 * criteria: templates of nearly the same shape (cosine similarity over all channels) and a
 * cross-correlogram with a refractory dip (the pair almost never fires within ±1.5 ms, as one
 * neuron cannot). Labels only: merging is the user's (or the curate step's) decision.
 *
 * @example
 * mergeCandidates(units.map((u) => u.template), units.map((u) => spikeTimes(u)), { duration: 600 });
 */
export function mergeCandidates(
  templates: readonly Float32Array[],
  spikeTimes: readonly Float64Array[],
  options: MergeCandidateOptions,
): MergeCandidate[] {
  const duration = checkNumber('duration', options.duration, { min: 0, exclusiveMin: true });
  const minSimilarity = checkNumber('minSimilarity', options.minSimilarity ?? 0.9, { min: -1, max: 1 });
  const window = checkNumber('refractory', options.refractory ?? 0.0015, { min: 0, exclusiveMin: true });
  const maxRatio = checkNumber('maxRefractoryRatio', options.maxRefractoryRatio ?? 0.5, { min: 0 });
  const out: MergeCandidate[] = [];
  for (let a = 0; a < templates.length; a++) {
    for (let b = a + 1; b < templates.length; b++) {
      const similarity = cosine(templates[a], templates[b]);
      if (!(similarity >= minSimilarity)) continue;
      const expected = (spikeTimes[a].length * spikeTimes[b].length * 2 * window) / duration;
      if (expected < 1) continue; // too few spikes to see a dip
      const refractoryRatio = coincidences(spikeTimes[a], spikeTimes[b], window) / expected;
      if (refractoryRatio <= maxRatio) out.push({ a, b, similarity, refractoryRatio });
    }
  }
  return out;
}

function cosine(x: Float32Array, y: Float32Array): number {
  let xy = 0,
    xx = 0,
    yy = 0;
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    ((xy += x[i] * y[i]), (xx += x[i] * x[i]), (yy += y[i] * y[i]));
  return xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
}

/** Spikes of `a` with a spike of `b` within ±window (both sorted). */
function coincidences(a: Float64Array, b: Float64Array, window: number): number {
  let n = 0,
    j = 0;
  for (const t of a) {
    while (j < b.length && b[j] < t - window) j++;
    if (j < b.length && b[j] <= t + window) n++;
  }
  return n;
}
