import { checkNumber, checkOptionNames } from '@spyglass-wasm/core';
import type { GroupSorting } from '../sort/sort-group.js';
import { largestChannel } from '../sort/sorting-accumulator.js';

/** What `autoMergeGroups` needs of each unit: spike times (s, sorted) and its mean waveform (length × channels). */
export interface MergeUnit {
  times: Float64Array;
  template: Float32Array;
  /** Set for a collision of two units (`SortedUnit.collisionOf`): never merged. */
  collisionOf?: readonly number[];
}

export interface AutoMergeOptions {
  /** Recording duration, s. */
  duration: number;
  /** Samples and channels of each template. */
  length: number;
  channels: number;
  /** Template shifts tried: ± samples (default 6), ± channels in index order for drift along a probe (default 0). */
  maxShift?: number;
  channelShift?: number;
  /** Shifted cosine similarity of the templates at or above which a pair is tested (default 0.9). */
  minSimilarity?: number;
  /** Fewest spikes of each unit of a pair (default 20). */
  minSpikes?: number;
  /**
   * Refractory window (s): coincidences of the pair at lags in (censored, refractory] (defaults 0.0005, 0.0015)
   * against those expected from the two units' rates in each `binSeconds` (default 2) of the recording; a pair
   * merges when the ratio is at most `maxRefractoryRatio` (default 0.2) and at least `minExpected` (default 5)
   * coincidences were expected, so the dip is seen.
   */
  censored?: number;
  refractory?: number;
  binSeconds?: number;
  maxRefractoryRatio?: number;
  minExpected?: number;
  /**
   * When fewer coincidences were expected, the dip cannot be seen and a pair is left apart, unless
   * `pieces` (default false; sortGroup sets it on probes, more than 4 channels, where a drifting
   * unit is cut in pieces over time with few spikes each): then a pair merges with no coincidence at all, templates at
   * least `closeSimilarity` alike (default 0.95), peak amplitudes within `maxAmplitudeRatio` (default
   * 1.5) and firing in different stretches of time: the share of their spike-count profiles over
   * tenths of the recording that overlaps at most `maxPresenceOverlap` (default 0.5; SpikeInterface's presence
   * distance), as one unit's pieces take over from each other; two sparse neurons fire side by side.
   */
  closeSimilarity?: number;
  maxAmplitudeRatio?: number;
  maxPresenceOverlap?: number;
  pieces?: boolean;
  /** A unit's own spike pairs in the refractory window over chance, above which it is never merged (0.2). */
  maxContamination?: number;
}

/** Bins of the recording the presence profiles of `pieces` are compared over. */
const PRESENCE_BINS = 10;

/** The evidence for one merged pair. */
export interface MergeEvidence {
  a: number;
  b: number;
  similarity: number;
  /** Coincidences in the refractory window over those expected (a refractory dip: ≪ 1). */
  refractoryRatio: number;
  expected: number;
}

/**
 * Which units are one neuron split in several, by SpikeInterface's auto-merge criteria: templates
 * alike after a shift in time (and, along a probe, of `channelShift` channels: a drifting unit's
 * spikes move across channels, the amplitude fading on one as it grows on the next), and a
 * cross-correlogram with a refractory dip (the pair almost never fires within the refractory
 * period of each other, as one neuron cannot), the chance level taken from both units' rates in
 * each stretch of time, so fragments of a drifting unit that take over from each other are
 * judged by the time they share. Pairs whose dip cannot be seen (too few shared spikes) are left
 * alone. Returns the groups to merge (connected pairs, each sorted, in order of their first unit)
 * and the evidence of each pair.
 *
 * @example
 * const units = sorted.map((u) => ({ times: u.times, template: u.template }));
 * const { groups } = autoMergeGroups(units, { duration: 600, length: 90, channels: 4 });
 */
export function autoMergeGroups(
  units: readonly MergeUnit[],
  options: AutoMergeOptions,
): { groups: number[][]; pairs: MergeEvidence[] } {
  checkOptionNames('autoMergeGroups', options, [
    'duration',
    'length',
    'channels',
    'maxShift',
    'channelShift',
    'minSimilarity',
    'minSpikes',
    'censored',
    'refractory',
    'binSeconds',
    'maxRefractoryRatio',
    'minExpected',
    'closeSimilarity',
    'maxAmplitudeRatio',
    'maxContamination',
    'maxPresenceOverlap',
    'pieces',
  ]);
  const duration = checkNumber('duration', options.duration, { min: 0, exclusiveMin: true });
  const shape = { length: options.length, channels: options.channels };
  const maxShift = checkNumber('maxShift', options.maxShift ?? 6, { min: 0, integer: true });
  const channelShift = checkNumber('channelShift', options.channelShift ?? 0, { min: 0, integer: true });
  const minSimilarity = checkNumber('minSimilarity', options.minSimilarity ?? 0.9, { min: -1, max: 1 });
  const minSpikes = checkNumber('minSpikes', options.minSpikes ?? 20, { min: 1 });
  const censored = checkNumber('censored', options.censored ?? 0.0005, { min: 0 });
  const refractory = checkNumber('refractory', options.refractory ?? 0.0015, { min: censored, exclusiveMin: true });
  const bin = checkNumber('binSeconds', options.binSeconds ?? 2, { min: 0, exclusiveMin: true });
  const maxRatio = checkNumber('maxRefractoryRatio', options.maxRefractoryRatio ?? 0.2, { min: 0 });
  const minExpected = checkNumber('minExpected', options.minExpected ?? 5, { min: 0 });
  const pieces = options.pieces ?? false;
  const maxPresenceOverlap = checkNumber('maxPresenceOverlap', options.maxPresenceOverlap ?? 0.5, { min: 0, max: 1 });
  const maxContamination = checkNumber('maxContamination', options.maxContamination ?? 0.2, { min: 0 });
  const closeSimilarity = checkNumber('closeSimilarity', options.closeSimilarity ?? 0.95, { min: -1, max: 1 });
  const maxAmplitudeRatio = checkNumber('maxAmplitudeRatio', options.maxAmplitudeRatio ?? 1.5, { min: 1 });
  // A dip too small to see: one neuron only if nearly the same template at nearly the same size,
  // and not one spike of the pair within the refractory window of the other.
  const untestedMerge = (a: number, b: number, similarity: number, seen: number) => {
    const ratio = peak(units[a].template) / Math.max(1e-12, peak(units[b].template));
    return (
      pieces &&
      seen === 0 &&
      similarity >= closeSimilarity &&
      Math.max(ratio, 1 / ratio) <= maxAmplitudeRatio &&
      presenceOverlap(presence[a], presence[b]) <= maxPresenceOverlap
    );
  };
  const bins = Math.max(1, Math.ceil(duration / bin));
  const counts = units.map((u) => binCounts(u.times, bin, bins));
  // presence over time in tenths of the recording (bins of a few spikes each would make any two
  // sparse units look apart)
  const presence = units.map((u) => binCounts(u.times, duration / PRESENCE_BINS, PRESENCE_BINS));
  // SpikeInterface's first steps: units with too few spikes, contaminated ones (their own refractory
  // violations over chance above maxContamination) and collisions are never merged
  const mergeable = units.map(
    (u) =>
      !u.collisionOf &&
      u.times.length >= minSpikes &&
      contamination(u.times, censored, refractory, duration) <= maxContamination,
  );
  const pairs: MergeEvidence[] = [];
  for (let a = 0; a < units.length; a++)
    for (let b = a + 1; b < units.length; b++) {
      if (!mergeable[a] || !mergeable[b]) continue;
      const similarity = shiftedSimilarity(units[a].template, units[b].template, shape, maxShift, channelShift);
      if (!(similarity >= minSimilarity)) continue;
      // chance coincidences in the window, from both rates in each bin (spikes per bin / bin length)
      let expected = 0;
      for (let k = 0; k < bins; k++) expected += (counts[a][k] * counts[b][k] * 2 * (refractory - censored)) / bin;
      const seen = coincidences(units[a].times, units[b].times, censored, refractory);
      const refractoryRatio = seen / Math.max(expected, 1e-12);
      if (expected >= minExpected ? refractoryRatio <= maxRatio : untestedMerge(a, b, similarity, seen))
        pairs.push({ a, b, similarity, refractoryRatio, expected });
    }
  return { groups: connected(units.length, pairs), pairs };
}

/** A unit's spikes followed by another within (lo, hi] over the number a Poisson train of its rate would have. */
function contamination(times: Float64Array, lo: number, hi: number, duration: number): number {
  let violations = 0;
  for (let i = 0; i < times.length; i++)
    for (let j = i + 1; j < times.length && times[j] - times[i] <= hi; j++) if (times[j] - times[i] > lo) violations++;
  const expected = (times.length * times.length * (hi - lo)) / duration;
  return expected > 0 ? violations / expected : 0;
}

/** Σ_k min(a_k / Σa, b_k / Σb): 1 when two units fire in the same proportions over time, 0 if never in one bin. */
function presenceOverlap(a: Float64Array, b: Float64Array): number {
  const na = a.reduce((s, v) => s + v, 0),
    nb = b.reduce((s, v) => s + v, 0);
  let overlap = 0;
  for (let k = 0; k < a.length; k++) overlap += Math.min(a[k] / na, b[k] / nb);
  return overlap;
}

function peak(t: Float32Array): number {
  return t.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

function binCounts(times: Float64Array, bin: number, bins: number): Float64Array {
  const out = new Float64Array(bins);
  for (const t of times) out[Math.min(bins - 1, Math.max(0, Math.floor(t / bin)))]++;
  return out;
}

/** Cosine similarity of two templates, the second shifted by up to ±maxShift samples and ±channelShift channels. */
function shiftedSimilarity(
  x: Float32Array,
  y: Float32Array,
  shape: { length: number; channels: number },
  maxShift: number,
  channelShift = 0,
): number {
  const { length: L, channels: C } = shape;
  const xx = x.reduce((s, v) => s + v * v, 0),
    yy = y.reduce((s, v) => s + v * v, 0);
  if (!(xx > 0 && yy > 0)) return 0;
  let best = -1;
  for (let dc = -channelShift; dc <= channelShift; dc++)
    for (let dt = -maxShift; dt <= maxShift; dt++) {
      let xy = 0;
      for (let t = Math.max(0, -dt); t < Math.min(L, L - dt); t++)
        for (let c = Math.max(0, -dc); c < Math.min(C, C - dc); c++) xy += x[t * C + c] * y[(t + dt) * C + c + dc];
      best = Math.max(best, xy / Math.sqrt(xx * yy));
    }
  return best;
}

/** Spikes of `a` with a spike of `b` at a lag in (lo, hi] either side (both sorted). */
function coincidences(a: Float64Array, b: Float64Array, lo: number, hi: number): number {
  let n = 0,
    j = 0;
  for (const t of a) {
    while (j < b.length && b[j] < t - hi) j++;
    for (let k = j; k < b.length && b[k] <= t + hi; k++) {
      const d = Math.abs(b[k] - t);
      if (d > lo && d <= hi) {
        n++;
        break;
      }
    }
  }
  return n;
}

/** Connected components of the pairs with more than one unit, each sorted, ordered by first unit. */
function connected(n: number, pairs: readonly { a: number; b: number }[]): number[][] {
  const root = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (root[i] === i ? i : (root[i] = find(root[i])));
  for (const { a, b } of pairs) root[Math.max(find(a), find(b))] = Math.min(find(a), find(b));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
  return [...groups.values()].filter((g) => g.length > 1);
}

/**
 * A group sorting with the units `autoMergeGroups` finds to be one neuron merged (spike trains
 * joined, templates averaged by spike count, noise overlap the parts' spike-weighted mean), the
 * merged unit at its first part's place and the rest renumbered in order. `options` are
 * autoMergeGroups' (duration, length and channels come from the sorting).
 *
 * @example
 * const { sorting: merged, groups } = autoMerge(sortGroup(x, { fs }), { fs, duration: x.rows / fs });
 */
export function autoMerge(
  sorting: GroupSorting,
  options: { fs: number; duration: number } & Omit<AutoMergeOptions, 'duration' | 'length' | 'channels'>,
): { sorting: GroupSorting; groups: number[][]; pairs: MergeEvidence[] } {
  const { fs, ...rest } = options;
  checkNumber('fs', fs, { min: 0, exclusiveMin: true });
  const { groups, pairs } = autoMergeGroups(
    sorting.units.map((u) => ({
      times: u.samples.map((s) => s / fs),
      template: u.template,
      collisionOf: u.collisionOf,
    })),
    { ...rest, length: sorting.snippetLength, channels: sorting.channels },
  );
  if (!groups.length) return { sorting, groups, pairs };
  // each unit's new index: a group's parts all go to its first part's place
  const head = sorting.units.map((_, i) => i);
  for (const g of groups) for (const u of g) head[u] = g[0];
  const heads = [...new Set(head)];
  const index = new Map(heads.map((h, i) => [h, i]));
  const to = head.map((h) => index.get(h)!);
  const units = heads.map((h) => {
    const parts = sorting.units.map((_, i) => i).filter((i) => head[i] === h);
    if (parts.length === 1) {
      const u = sorting.units[h];
      return u.collisionOf ? { ...u, collisionOf: u.collisionOf.map((p) => (p < 0 ? p : to[p])) } : u;
    }
    const n = parts.reduce((s, i) => s + sorting.units[i].samples.length, 0);
    const template = new Float32Array(sorting.units[h].template.length);
    for (const i of parts) {
      const u = sorting.units[i];
      u.template.forEach((v, j) => (template[j] += (v * u.samples.length) / n));
    }
    const samples = Float64Array.from(parts.flatMap((i) => Array.from(sorting.units[i].samples))).sort();
    const { channel, amplitude } = largestChannel(template, sorting.channels);
    return { samples, template, peakChannel: channel, snr: amplitude / sorting.noise[channel] };
  });
  const noiseOverlaps = Float64Array.from(heads, (h) => {
    const parts = sorting.units.map((_, i) => i).filter((i) => head[i] === h);
    const n = parts.reduce((s, i) => s + sorting.units[i].samples.length, 0);
    return parts.reduce((s, i) => s + (sorting.noiseOverlaps[i] * sorting.units[i].samples.length) / n, 0);
  });
  return {
    sorting: { ...sorting, units, labels: sorting.labels.map((l) => (l < 0 ? l : to[l])), noiseOverlaps },
    groups,
    pairs,
  };
}
