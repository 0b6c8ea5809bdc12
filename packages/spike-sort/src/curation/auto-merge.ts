import { checkNumber, checkOptionNames, ParameterError, searchSorted, norm } from '@spyglass-wasm/core';
import type { GroupSorting } from '../sort/sort-group.js';
import { largestChannel } from '../sort/sorting-accumulator.js';
import { isUnimodal } from '../cluster/unimodality.js';
import { secondModeCut } from '../sort/split-amplitudes.js';
import { collisionUnits } from './collision-units.js';

/** What `autoMergeGroups` needs of each unit: spike times (s, sorted) and its mean waveform (length × channels). */
export interface MergeUnit {
  times: Float64Array;
  template: Float32Array;
  /** Set for a collision of two units (`SortedUnit.collisionOf`): never merged. */
  collisionOf?: readonly number[];
  /** Each spike's amplitude (any unit, e.g. µV on its detection channel), for the amplitude-continuity test. */
  amplitudes?: Float64Array;
  /**
   * Each spike's features (the sorting's PCA features, the same number per spike, in the order of
   * `times`), for the handover test of pieces in time.
   */
  features?: Float32Array;
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
  /**
   * Per channel, its neighbours (as `sortGroup`'s): template similarity is then computed on the
   * channels near either unit's peak channel only (default: every channel of the group).
   */
  neighbours?: readonly (readonly number[])[];
  /** Shifted cosine similarity of the templates at or above which a pair is a candidate (default 0.9). */
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
   * Pieces less alike than `closeSimilarity` (but at least `minSimilarity`), as a drifting unit's
   * templates averaged over different stretches are, merge when their spikes where they take over
   * look alike: the `handoverSpikes` (default 50) of each nearest in time to the other's, projected
   * on the line between their mean features (`MergeUnit.features`), form one mode (`isUnimodal`).
   */
  closeSimilarity?: number;
  handoverSpikes?: number;
  maxAmplitudeRatio?: number;
  maxPresenceOverlap?: number;
  pieces?: boolean;
  /** A unit's own spike pairs in the refractory window over chance, above which it is never merged (0.2). */
  maxContamination?: number;
  /**
   * The same for the unit a merge would make (default 0.2, SpikeInterface's cross-contamination
   * bound): pairs are merged most similar first, and a merge whose joined spike train (with every
   * unit already merged into either side) is more contaminated is refused.
   */
  maxMergedContamination?: number;
  /**
   * Amplitude continuity (default true; needs `MergeUnit.amplitudes`): a merge is refused when the
   * joined spikes' amplitudes form two modes (`secondModeCut`), two neurons of one shape and two sizes.
   */
  amplitudeContinuity?: boolean;
  /**
   * Pieces of one bursting neuron (spikes shrinking within a burst, cut by size into a larger and a
   * smaller unit of one shape): merged, whatever their amplitudes, when the smaller unit's spikes
   * follow the larger's at lags in (refractory, `burstWindow`] (default 0.015 s) at least
   * `minBurstRatio` (default 5) times as often as chance and as the other way round, at least 10
   * times, and the pair shows no coincidence in the refractory window beyond chance
   * (`maxRefractoryRatio`; with too few expected, none at all). Two neurons of one shape firing
   * independently have a flat cross-correlogram (one driving the other within a few ms would pass).
   */
  burstWindow?: number;
  minBurstRatio?: number;
}

/** Fewest spikes of the smaller unit following the larger's within a burst's intervals to call them one. */
const MIN_BURST_FOLLOWERS = 10;

/** Bins of the recording the presence profiles of `pieces` are compared over. */
const PRESENCE_BINS = 10;

/** Why a candidate pair (templates alike) was merged, or why not. */
export type MergeReason =
  | 'refractory dip'
  | 'pieces in time'
  | 'burst pieces'
  | 'no refractory dip'
  | 'dip not testable'
  | 'merged contamination'
  | 'amplitude modes'
  | 'groups side by side';

/** The evidence for one candidate pair (templates at least `minSimilarity` alike), merged or not. */
export interface MergeEvidence {
  a: number;
  b: number;
  similarity: number;
  /** Coincidences in the refractory window over those expected (a refractory dip: ≪ 1). */
  refractoryRatio: number;
  expected: number;
  /** The larger template peak over the smaller. */
  amplitudeRatio: number;
  /**
   * Spikes of the smaller unit that follow one of the larger's at lags in (refractory, burstWindow],
   * over chance (a burst's later spikes: ≫ 1), and the larger's that follow the smaller's, over chance.
   */
  burstRatio: number;
  reverseBurstRatio: number;
  /** Spikes of the smaller unit that follow one of the larger's so. */
  burstFollowers: number;
  /** Shares of the two units' spike counts over tenths of the recording that overlap (1: fire alike in time). */
  presenceOverlap: number;
  /** Contamination of the unit the merge would make (NaN: not tested, the pair failed before). */
  mergedContamination: number;
  merged: boolean;
  reason: MergeReason;
}

/** The checked options of autoMergeGroups. */
type MergeSettings = ReturnType<typeof mergeSettings>;

function mergeSettings(options: AutoMergeOptions) {
  checkOptionNames('autoMergeGroups', options, [
    'duration',
    'length',
    'channels',
    'maxShift',
    'channelShift',
    'neighbours',
    'minSimilarity',
    'minSpikes',
    'censored',
    'refractory',
    'binSeconds',
    'maxRefractoryRatio',
    'minExpected',
    'closeSimilarity',
    'handoverSpikes',
    'maxAmplitudeRatio',
    'maxContamination',
    'maxMergedContamination',
    'amplitudeContinuity',
    'maxPresenceOverlap',
    'pieces',
    'burstWindow',
    'minBurstRatio',
  ]);
  const censored = checkNumber('censored', options.censored ?? 0.0005, { min: 0 });
  if (options.neighbours !== undefined && options.neighbours.length !== options.channels)
    throw new ParameterError('neighbours', `one list per channel (${options.channels})`, options.neighbours.length);
  return {
    duration: checkNumber('duration', options.duration, { min: 0, exclusiveMin: true }),
    shape: { length: options.length, channels: options.channels },
    maxShift: checkNumber('maxShift', options.maxShift ?? 6, { min: 0, integer: true }),
    channelShift: checkNumber('channelShift', options.channelShift ?? 0, { min: 0, integer: true }),
    neighbours: options.neighbours,
    minSimilarity: checkNumber('minSimilarity', options.minSimilarity ?? 0.9, { min: -1, max: 1 }),
    minSpikes: checkNumber('minSpikes', options.minSpikes ?? 20, { min: 1 }),
    censored,
    refractory: checkNumber('refractory', options.refractory ?? 0.0015, { min: censored, exclusiveMin: true }),
    bin: checkNumber('binSeconds', options.binSeconds ?? 2, { min: 0, exclusiveMin: true }),
    maxRatio: checkNumber('maxRefractoryRatio', options.maxRefractoryRatio ?? 0.2, { min: 0 }),
    minExpected: checkNumber('minExpected', options.minExpected ?? 5, { min: 0 }),
    pieces: options.pieces ?? false,
    maxPresenceOverlap: checkNumber('maxPresenceOverlap', options.maxPresenceOverlap ?? 0.5, { min: 0, max: 1 }),
    maxContamination: checkNumber('maxContamination', options.maxContamination ?? 0.2, { min: 0 }),
    maxMergedContamination: checkNumber('maxMergedContamination', options.maxMergedContamination ?? 0.2, { min: 0 }),
    amplitudeContinuity: options.amplitudeContinuity ?? true,
    closeSimilarity: checkNumber('closeSimilarity', options.closeSimilarity ?? 0.95, { min: -1, max: 1 }),
    handoverSpikes: checkNumber('handoverSpikes', options.handoverSpikes ?? 50, { min: 2, integer: true }),
    maxAmplitudeRatio: checkNumber('maxAmplitudeRatio', options.maxAmplitudeRatio ?? 1.5, { min: 1 }),
    burstWindow: checkNumber('burstWindow', options.burstWindow ?? 0.015, { min: 0, exclusiveMin: true }),
    minBurstRatio: checkNumber('minBurstRatio', options.minBurstRatio ?? 5, { min: 1 }),
  };
}

/**
 * Which units are one neuron split in several, by SpikeInterface's auto-merge criteria: templates
 * alike after a shift in time (and, along a probe, of `channelShift` channels: a drifting unit's
 * spikes move across channels, the amplitude fading on one as it grows on the next), on the
 * channels near the units (`neighbours`), and a cross-correlogram with a refractory dip (the pair
 * almost never fires within the refractory period of each other, as one neuron cannot), the
 * chance level taken from both units' rates in each stretch of time, so fragments of a drifting
 * unit that take over from each other are judged by the time they share. Pairs whose dip cannot
 * be seen (too few shared spikes) are left alone unless `pieces`. The pairs that pass are merged
 * most similar first, each merge refused when the unit it makes is contaminated or its spikes'
 * amplitudes form two modes. Returns the groups to merge (each sorted, in order of their first
 * unit), the evidence of each merged pair (`pairs`) and of each candidate left apart, with why
 * (`candidates`).
 *
 * @example
 * const units = sorted.map((u) => ({ times: u.times, template: u.template }));
 * const { groups, candidates } = autoMergeGroups(units, { duration: 600, length: 90, channels: 4 });
 */
export function autoMergeGroups(
  units: readonly MergeUnit[],
  options: AutoMergeOptions,
): { groups: number[][]; pairs: MergeEvidence[]; candidates: MergeEvidence[] } {
  const s = mergeSettings(options);
  const bins = Math.max(1, Math.ceil(s.duration / s.bin));
  const counts = units.map((u) => binCounts(u.times, s.bin, bins));
  // presence over time in tenths of the recording (bins of a few spikes each would make any two
  // sparse units look apart)
  const presence = units.map((u) => binCounts(u.times, s.duration / PRESENCE_BINS, PRESENCE_BINS));
  // SpikeInterface's first steps: units with too few spikes, contaminated ones (their own refractory
  // violations over chance above maxContamination) and collisions are never merged
  const mergeable = units.map(
    (u) =>
      !u.collisionOf &&
      u.times.length >= s.minSpikes &&
      contamination(u.times, s.censored, s.refractory, s.duration) <= s.maxContamination,
  );
  const peaks = units.map((u) => largestChannel(u.template, s.shape.channels));
  const tested: MergeEvidence[] = [];
  for (let a = 0; a < units.length; a++)
    for (let b = a + 1; b < units.length; b++) {
      if (!mergeable[a] || !mergeable[b]) continue;
      const near = s.neighbours && nearChannels(s.neighbours, peaks[a].channel, peaks[b].channel);
      const similarity = shiftedSimilarity(units[a].template, units[b].template, s, near);
      if (!(similarity >= s.minSimilarity)) continue;
      // chance coincidences in the window, from both rates in each bin (spikes per bin / bin length)
      const expected = chance(counts[a], counts[b], 2 * (s.refractory - s.censored), s.bin);
      const seen = coincidences(units[a].times, units[b].times, s.censored, s.refractory);
      const ratio = peaks[a].amplitude / Math.max(1e-12, peaks[b].amplitude);
      const [large, small] = ratio >= 1 ? [a, b] : [b, a];
      const followers = (lead: number, follow: number) =>
        following(units[lead].times, units[follow].times, s.refractory, s.burstWindow);
      const burst = (lead: number, follow: number) =>
        followers(lead, follow) /
        Math.max(chance(counts[lead], counts[follow], s.burstWindow - s.refractory, s.bin), 1e-12);
      const evidence = {
        a,
        b,
        similarity,
        refractoryRatio: seen / Math.max(expected, 1e-12),
        expected,
        amplitudeRatio: Math.max(ratio, 1 / ratio),
        burstRatio: burst(large, small),
        reverseBurstRatio: burst(small, large),
        burstFollowers: followers(large, small),
        presenceOverlap: presenceOverlap(presence[a], presence[b]),
        mergedContamination: NaN,
      };
      tested.push({ ...evidence, ...firstVerdict(evidence, seen, s, () => handoverUnimodal(units[a], units[b], s)) });
    }
  return decide({ units, counts, presence }, tested, s);
}

/** The pair's own evidence: a refractory dip seen, pieces of a unit in time, or why not. */
function firstVerdict(
  e: Omit<MergeEvidence, 'merged' | 'reason'>,
  seen: number,
  s: MergeSettings,
  handover: () => boolean,
): { merged: boolean; reason: MergeReason } {
  if (burstPieces(e, seen, s)) return { merged: true, reason: 'burst pieces' };
  if (e.expected >= s.minExpected)
    return e.refractoryRatio <= s.maxRatio
      ? { merged: true, reason: 'refractory dip' }
      : { merged: false, reason: 'no refractory dip' };
  // A dip too small to see: one neuron only if nearly the same template (or alike where they take
  // over) at nearly the same size, not one spike of the pair within the refractory window of the
  // other, and taking over in time.
  const pieces =
    s.pieces &&
    seen === 0 &&
    e.amplitudeRatio <= s.maxAmplitudeRatio &&
    e.presenceOverlap <= s.maxPresenceOverlap &&
    (e.similarity >= s.closeSimilarity || handover());
  return pieces ? { merged: true, reason: 'pieces in time' } : { merged: false, reason: 'dip not testable' };
}

/**
 * Whether a pair is one bursting neuron cut by size: the smaller's spikes follow the larger's within
 * a burst's intervals far beyond chance, far more than the other way round, and the pair keeps a
 * refractory period.
 */
function burstPieces(e: Omit<MergeEvidence, 'merged' | 'reason'>, seen: number, s: MergeSettings): boolean {
  const refractory = e.expected >= s.minExpected ? e.refractoryRatio <= s.maxRatio : seen === 0;
  return (
    refractory &&
    e.burstFollowers >= MIN_BURST_FOLLOWERS &&
    e.burstRatio >= s.minBurstRatio &&
    e.burstRatio >= s.minBurstRatio * e.reverseBurstRatio
  );
}

/**
 * Whether two units' spikes where they take over from each other (each one's `handoverSpikes`
 * nearest in time to the other's) form one mode along the line between their mean features; false
 * without features.
 */
function handoverUnimodal(a: MergeUnit, b: MergeUnit, s: MergeSettings): boolean {
  if (!a.features || !b.features || !a.times.length || !b.times.length) return false;
  const k = a.features.length / a.times.length;
  if (!Number.isInteger(k) || k < 1 || b.features.length !== k * b.times.length) return false;
  const nearest = (u: MergeUnit, other: Float64Array) => {
    const gap = Float64Array.from(u.times, (t) => {
      const i = searchSorted(other, t);
      return Math.min(i < other.length ? other[i] - t : Infinity, i > 0 ? t - other[i - 1] : Infinity);
    });
    return [...gap.keys()].sort((i, j) => gap[i] - gap[j] || i - j).slice(0, s.handoverSpikes);
  };
  const [sa, sb] = [nearest(a, b.times), nearest(b, a.times)];
  const mean = (u: MergeUnit, set: number[]) => {
    const m = new Float64Array(k);
    for (const i of set) for (let j = 0; j < k; j++) m[j] += u.features![i * k + j] / set.length;
    return m;
  };
  const [ma, mb] = [mean(a, sa), mean(b, sb)];
  const line = ma.map((v, j) => mb[j] - v);
  const length = norm(line);
  if (!(length > 0)) return true;
  const along = (u: MergeUnit, set: number[]) =>
    set.map((i) => {
      let p = 0;
      for (let j = 0; j < k; j++) p += (u.features![i * k + j] * line[j]) / length;
      return p;
    });
  return isUnimodal([...along(a, sa), ...along(b, sb)]);
}

/** Spike counts per `binSeconds` and per tenth of the recording, per unit. */
interface Profiles {
  units: readonly MergeUnit[];
  counts: Float64Array[];
  presence: Float64Array[];
}

/**
 * Merges the pairs that passed, most similar first, refusing a merge whose joined unit (every
 * unit already merged into either side) is contaminated or has two amplitude modes, and a merge of
 * pieces in time whose two sides, once either holds several units, fire side by side (their
 * joined presence profiles overlap, or a dip testable between them is not there): two neurons each
 * already put together from its pieces.
 */
function decide(
  profiles: Profiles,
  tested: MergeEvidence[],
  s: MergeSettings,
): { groups: number[][]; pairs: MergeEvidence[]; candidates: MergeEvidence[] } {
  const { units } = profiles;
  const root = units.map((_, i) => i);
  const find = (i: number): number => (root[i] === i ? i : (root[i] = find(root[i])));
  const members = units.map((_, i) => [i]);
  const order = tested.map((_, i) => i).sort((i, j) => tested[j].similarity - tested[i].similarity || i - j);
  for (const i of order) {
    const e = tested[i];
    if (!e.merged) continue;
    const [ra, rb] = [find(e.a), find(e.b)];
    if (ra === rb) continue; // already one unit through others
    const joined = [...members[ra], ...members[rb]];
    const refused = refusal(profiles, members[ra], members[rb], e, s);
    if (refused) {
      Object.assign(e, { merged: false, reason: refused });
      continue;
    }
    const [keep, drop] = [Math.min(ra, rb), Math.max(ra, rb)];
    root[drop] = keep;
    members[keep] = joined;
  }
  const groups = members.filter((m, i) => find(i) === i && m.length > 1).map((m) => [...m].sort((x, y) => x - y));
  // a candidate whose two units were joined through others is no longer left apart
  const apart = tested.filter((e) => !e.merged && find(e.a) !== find(e.b));
  return { groups, pairs: tested.filter((e) => e.merged), candidates: apart };
}

/** Why the units of `a` and `b` (each one or several already merged) should not be joined, if they should not. */
function refusal(
  { units, counts, presence }: Profiles,
  a: readonly number[],
  b: readonly number[],
  e: MergeEvidence,
  s: MergeSettings,
): MergeReason | undefined {
  const trainOf = (g: readonly number[]) => Float64Array.from(g.flatMap((u) => Array.from(units[u].times))).sort();
  const [ta, tb] = [trainOf(a), trainOf(b)];
  const times = Float64Array.from([...ta, ...tb]).sort();
  e.mergedContamination = contamination(times, s.censored, s.refractory, s.duration);
  if (e.mergedContamination > s.maxMergedContamination) return 'merged contamination';
  // a bursting neuron's spikes shrink within a burst: its pieces' amplitudes are two modes by design
  if (s.amplitudeContinuity && e.reason !== 'burst pieces' && [...a, ...b].every((u) => units[u].amplitudes)) {
    const amplitudes = [...a, ...b].flatMap((u) => Array.from(units[u].amplitudes!, Math.abs));
    if (secondModeCut(amplitudes, { minCount: s.minSpikes })) return 'amplitude modes';
  }
  if (e.reason === 'pieces in time' && a.length + b.length > 2) {
    const sum = (g: readonly number[], of: Float64Array[]) =>
      g.reduce((acc, u) => (of[u].forEach((v, k) => (acc[k] += v)), acc), new Float64Array(of[0].length));
    if (presenceOverlap(sum(a, presence), sum(b, presence)) > s.maxPresenceOverlap) return 'groups side by side';
    const [ca, cb] = [sum(a, counts), sum(b, counts)];
    let expected = 0;
    for (let k = 0; k < ca.length; k++) expected += (ca[k] * cb[k] * 2 * (s.refractory - s.censored)) / s.bin;
    const seen = coincidences(ta, tb, s.censored, s.refractory);
    if (expected >= s.minExpected ? seen > s.maxRatio * expected : seen > 0) return 'groups side by side';
  }
  return undefined;
}

/** The channels near either of two peak channels, in index order. */
function nearChannels(neighbours: readonly (readonly number[])[], a: number, b: number): Uint8Array {
  const near = new Uint8Array(neighbours.length);
  for (const c of [a, b, ...neighbours[a], ...neighbours[b]]) near[c] = 1;
  return near;
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

function binCounts(times: Float64Array, bin: number, bins: number): Float64Array {
  const out = new Float64Array(bins);
  for (const t of times) out[Math.min(bins - 1, Math.max(0, Math.floor(t / bin)))]++;
  return out;
}

/**
 * Cosine similarity of two templates, the second shifted by up to ±maxShift samples and
 * ±channelShift channels, on the channels `near` marks (default all): each template's energy on
 * them, and the products of the pairs of samples whose channels both lie there.
 */
function shiftedSimilarity(
  x: Float32Array,
  y: Float32Array,
  settings: { shape: { length: number; channels: number }; maxShift: number; channelShift: number },
  near?: Uint8Array,
): number {
  const { shape, maxShift, channelShift } = settings;
  const { length: L, channels: C } = shape;
  const on = (c: number) => !near || near[c] === 1;
  let xx = 0,
    yy = 0;
  for (let j = 0; j < L * C; j++) if (on(j % C)) ((xx += x[j] * x[j]), (yy += y[j] * y[j]));
  if (!(xx > 0 && yy > 0)) return 0;
  let best = -1;
  for (let dc = -channelShift; dc <= channelShift; dc++)
    for (let dt = -maxShift; dt <= maxShift; dt++) {
      let xy = 0;
      for (let t = Math.max(0, -dt); t < Math.min(L, L - dt); t++)
        for (let c = Math.max(0, -dc); c < Math.min(C, C - dc); c++)
          if (on(c) && on(c + dc)) xy += x[t * C + c] * y[(t + dt) * C + c + dc];
      best = Math.max(best, xy / Math.sqrt(xx * yy));
    }
  return best;
}

/** Spikes of `follow` with a spike of `lead` before them at a lag in (lo, hi] (both sorted). */
function following(lead: Float64Array, follow: Float64Array, lo: number, hi: number): number {
  let n = 0,
    j = 0;
  for (const t of follow) {
    while (j < lead.length && lead[j] < t - hi) j++;
    // lead[j] is the first at or after t − hi: a follower when it lies before t − lo
    if (j < lead.length && lead[j] < t - lo) n++;
  }
  return n;
}

/** Coincidences of two trains within a window of `width` s expected by chance from their spike counts per bin. */
function chance(a: Float64Array, b: Float64Array, width: number, bin: number): number {
  let expected = 0;
  for (let k = 0; k < a.length; k++) expected += (a[k] * b[k] * width) / bin;
  return expected;
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

/** What `autoMerge` did to a sorting, in the unit numbers before it (kept in `GroupSorting.merges`). */
export interface SortingMerges {
  /** For each unit after merging, the units before it was made from (one, or the merged parts). */
  parents: number[][];
  /** The merged pairs, with their evidence. */
  pairs: MergeEvidence[];
  /** Candidate pairs (templates alike) left apart, with their evidence and why: for a user to review. */
  candidates: MergeEvidence[];
}

/**
 * A group sorting with the units `autoMergeGroups` finds to be one neuron merged (spike trains
 * joined, templates averaged by spike count, noise overlap the parts' spike-weighted mean), the
 * merged unit at its first part's place and the rest renumbered in order; what was merged and the
 * candidates left apart are in its `merges`. `options` are autoMergeGroups' (duration, length and
 * channels come from the sorting; amplitudes from its peaks).
 *
 * @example
 * const { sorting: merged, groups } = autoMerge(sortGroup(x, { fs }), { fs, duration: x.rows / fs });
 */
export function autoMerge(
  sorting: GroupSorting,
  options: { fs: number; duration: number; collisions?: boolean } & Omit<
    AutoMergeOptions,
    'duration' | 'length' | 'channels'
  >,
): { sorting: GroupSorting; groups: number[][]; pairs: MergeEvidence[]; candidates: MergeEvidence[] } {
  const { fs, collisions = true, ...rest } = options;
  checkNumber('fs', fs, { min: 0, exclusiveMin: true });
  const amplitudes = spikeAmplitudes(sorting);
  const features = spikeFeatures(sorting);
  const { groups, pairs, candidates } = autoMergeGroups(
    sorting.units.map((u, i) => ({
      times: u.samples.map((s) => s / fs),
      template: u.template,
      collisionOf: u.collisionOf,
      amplitudes: amplitudes[i],
      features: features[i],
    })),
    { ...rest, length: sorting.snippetLength, channels: sorting.channels },
  );
  const merged = joinGroups(sorting, groups);
  const marked = collisions ? markCollisions(merged.sorting, fs, options.duration) : merged.sorting;
  return {
    sorting: { ...marked, merges: { parents: merged.parents, pairs, candidates } },
    groups,
    pairs,
    candidates,
  };
}

/**
 * The sorting with the units `collisionUnits` finds to be two others' spikes together (at any pair
 * of lags within 1 ms) marked `collisionOf` those two, as the collision templates learned are.
 */
function markCollisions(sorting: GroupSorting, fs: number, duration: number): GroupSorting {
  const found = collisionUnits(
    sorting.units.map((u) => ({
      times: Float64Array.from(u.samples, (s) => s / fs),
      template: u.template,
      collisionOf: u.collisionOf,
      spread: u.spread,
    })),
    { duration, fs, length: sorting.snippetLength, channels: sorting.channels, noise: sorting.noise },
  );
  if (!found.length) return sorting;
  const units = sorting.units.map((u) => ({ ...u }));
  for (const f of found) units[f.unit].collisionOf = [f.a, f.b];
  return { ...sorting, units };
}

/** Each unit's spikes' features (`components` each, in spike order), or undefined when its peaks do not match. */
function spikeFeatures(sorting: GroupSorting): (Float32Array | undefined)[] {
  const k = sorting.components;
  const out = sorting.units.map((u) => new Float32Array(u.samples.length * k));
  const at = new Int32Array(sorting.units.length);
  if (!(k >= 1) || sorting.features.length !== sorting.labels.length * k) return out.map(() => undefined);
  sorting.labels.forEach((l, i) => {
    if (l < 0 || l >= out.length || at[l] >= sorting.units[l].samples.length) return;
    out[l].set(sorting.features.subarray(i * k, (i + 1) * k), at[l]++ * k);
  });
  return out.map((f, u) => (at[u] === sorting.units[u].samples.length ? f : undefined));
}

/** Each unit's spike amplitudes (µV on the detection channel), or undefined when its peaks do not match its spikes. */
function spikeAmplitudes(sorting: GroupSorting): (Float64Array | undefined)[] {
  const out = sorting.units.map((u) => new Float64Array(u.samples.length));
  const at = new Int32Array(sorting.units.length);
  sorting.labels.forEach((l, i) => {
    if (l < 0 || l >= out.length || at[l] >= out[l].length) return;
    const p = sorting.peaks[i];
    out[l][at[l]++] = Math.abs(p.z * sorting.noise[p.channel]);
  });
  return out.map((a, u) => (at[u] === a.length ? a : undefined));
}

/** The sorting with each group's units joined at its first part's place, and each new unit's parts. */
function joinGroups(sorting: GroupSorting, groups: number[][]): { sorting: GroupSorting; parents: number[][] } {
  if (!groups.length) return { sorting, parents: sorting.units.map((_, i) => [i]) };
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
    // pieces of one neuron: their spreads, spike-weighted
    const spread = parts.reduce(
      (s, i) => s + ((sorting.units[i].spread ?? NaN) * sorting.units[i].samples.length) / n,
      0,
    );
    return { samples, template, peakChannel: channel, snr: amplitude / sorting.noise[channel], spread };
  });
  const noiseOverlaps = Float64Array.from(heads, (h) => {
    const parts = sorting.units.map((_, i) => i).filter((i) => head[i] === h);
    const n = parts.reduce((s, i) => s + sorting.units[i].samples.length, 0);
    return parts.reduce((s, i) => s + (sorting.noiseOverlaps[i] * sorting.units[i].samples.length) / n, 0);
  });
  return {
    sorting: { ...sorting, units, labels: sorting.labels.map((l) => (l < 0 ? l : to[l])), noiseOverlaps },
    parents: heads.map((h) => sorting.units.map((_, i) => i).filter((i) => head[i] === h)),
  };
}
