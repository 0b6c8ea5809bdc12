import { checkNumber, checkOptionNames, createRng, ParameterError, type Matrix } from '@spyglass-wasm/core';
import type { Peak } from '../detect/detect-peaks.js';
import { projectPca, type Pca } from '../features/pca.js';
import { extractSnippets } from '../features/snippets.js';
import type { Matches, TemplateSet } from '../match/match-templates.js';
import type { LearnedTemplates } from './learn-templates.js';
import type { Collision } from './collisions.js';
import type { GroupSorting, SortedUnit } from './sort-group.js';
import { noiseOverlap, type NoiseOverlapOptions } from '../metrics/noise-overlap.js';

/** Waveforms per unit and noise clips kept for the noise-overlap metric (SpikeInterface's max_spikes). */
const SAMPLE = 1000;
/**
 * Noise overlap as Spyglass's metric curation computes it, where its nn_noise_overlap > 0.1 rule
 * was set: on whitened waveforms ±0.5 ms about the peak (its 'default_whitened' waveform
 * parameters), 7 principal components (its 'franklab_default' metric parameters).
 */
const NOISE_OVERLAP_COMPONENTS = 7;

export interface AccumulatorOptions {
  /** Noise level per channel (µV), which matched peaks' z-scores and the units' SNR divide by. */
  noise: Float64Array;
  /** Samples after each peak in a snippet (as learned). */
  after: number;
  /** Rows of the whole recording, over which the noise clips are spread. */
  totalRows: number;
  /** Seed of the waveform and clip sampling (default 1). */
  seed?: number;
  /**
   * Per channel, its neighbours (as detection's): a unit's noise overlap is computed on the
   * neighbourhood of its template's largest channel, where its spikes are, not on every channel of
   * a probe, where distant channels add noise to both sides and hide the difference (default: every channel).
   */
  neighbours?: readonly (readonly number[])[];
}

/** Where a chunk sits in the recording, for `SortingAccumulator.add`. */
export interface ChunkPlace {
  /** The chunk's first row in the recording (default 0). */
  offset?: number;
  /** The chunk's rows it stands for, without the margins shared with its neighbours (default all). */
  core?: readonly [number, number];
}

/**
 * Gathers template-matching results chunk by chunk into a GroupSorting: spike times, labels,
 * PCA features and running mean waveforms, so memory grows with the number of spikes (a few
 * dozen bytes each), never with the length of the recording.
 *
 * @example
 * const acc = new SortingAccumulator(learned, { noise, after: 60, totalRows: x.rows });
 * acc.add(x, w, matchTemplates(x, w, learned.templates, match));
 * const sorting = acc.result();
 */
export class SortingAccumulator {
  private readonly templates: TemplateSet;
  private readonly pca: Pca;
  private readonly noise: Float64Array;
  private readonly after: number;
  private readonly totalRows: number;
  /** Templates that are two others' synchronous spikes (learnTemplates' collisions), reported per unit. */
  private readonly collisions: readonly Collision[];
  private readonly peaks: Peak[] = [];
  private readonly labels: number[] = [];
  private readonly features: Float32Array[] = [];
  private readonly sums: Float64Array[];
  private readonly counts: Float64Array;
  private readonly dim: number;
  // For noise overlap: up to SAMPLE whitened waveforms per unit (reservoir sampling) and SAMPLE whitened
  // clips at random times spread over the recording in proportion to each chunk's length, kept only
  // in the samples the metric reads (`overlapWindow`), a third of a snippet.
  private readonly samples: Float32Array[];
  /** Samples [from, to) of a snippet kept for noise overlap, and their values per waveform. */
  private readonly overlapWindow: readonly [number, number];
  private readonly overlapDim: number;
  /** Per unit, what each of its spikes leaves about its template (`spikeResidual`), for its spread. */
  private readonly residuals: number[][];
  /** 1 / noise² of each snippet sample's channel, and each template's energy in noise units. */
  private readonly weights: Float64Array;
  private readonly energies: Float64Array;
  private readonly clips: Float32Array;
  private clipCount = 0;
  private rowsSeen = 0;
  private readonly rng;
  /** Each template's largest channel, where a matched spike's z is read. */
  private readonly peakChannels: number[];
  private readonly neighbours: readonly (readonly number[])[] | undefined;

  constructor(learned: LearnedTemplates, options: AccumulatorOptions) {
    checkOptionNames('SortingAccumulator', options, ['noise', 'after', 'totalRows', 'seed', 'neighbours']);
    const { templates, pca } = learned;
    if (!(options?.noise instanceof Float64Array) || options.noise.length !== templates.channels) {
      throw new ParameterError('noise', `a Float64Array of ${templates.channels} noise levels`, options?.noise);
    }
    this.templates = templates;
    this.pca = pca;
    this.noise = options.noise;
    this.after = checkNumber('after', options.after, { min: 0, integer: true });
    this.totalRows = checkNumber('totalRows', options.totalRows, { min: 1, integer: true });
    this.collisions = learned.collisions;
    this.neighbours = options.neighbours;
    if (this.neighbours !== undefined && this.neighbours.length !== templates.channels)
      throw new ParameterError('neighbours', `one list per channel (${templates.channels})`, this.neighbours.length);
    const seed = checkNumber('seed', options.seed ?? 1, { integer: true });
    this.dim = templates.length * templates.channels;
    this.sums = Array.from({ length: templates.units }, () => new Float64Array(this.dim));
    this.counts = new Float64Array(templates.units);
    this.samples = Array.from({ length: templates.units }, () => new Float32Array(0));
    // ±0.5 ms about the peak (at sample `before` of a snippet)
    const half = Math.round(templates.before / 2);
    this.overlapWindow = [
      Math.max(0, templates.before - half),
      Math.min(templates.length, templates.before + half + 1),
    ];
    this.overlapDim = (this.overlapWindow[1] - this.overlapWindow[0]) * templates.channels;
    this.residuals = Array.from({ length: templates.units }, () => []);
    this.weights = Float64Array.from({ length: this.dim }, (_, j) => 1 / this.noise[j % templates.channels] ** 2);
    this.energies = Float64Array.from({ length: templates.units }, (_, u) => {
      let e = 0;
      for (let j = 0; j < this.dim; j++) e += templates.filtered[u * this.dim + j] ** 2 * this.weights[j];
      return e;
    });
    this.clips = new Float32Array(SAMPLE * this.overlapDim);
    this.rng = createRng(seed);
    this.peakChannels = Array.from(
      { length: templates.units },
      (_, u) =>
        largestChannel(templates.filtered.subarray(u * this.dim, (u + 1) * this.dim), templates.channels).channel,
    );
  }

  /** Adds one chunk's matches; `x`/`w` are the chunk's filtered and whitened data. */
  add(
    x: Matrix<Float32Array | Float64Array>,
    w: Matrix<Float32Array | Float64Array>,
    matches: Matches,
    place: ChunkPlace = {},
  ): void {
    checkOptionNames('SortingAccumulator.add', place, ['offset', 'core']);
    const offset = checkNumber('offset', place.offset ?? 0, { min: 0, integer: true });
    const core = place.core ?? [0, x.rows];
    const { before, channels: C } = this.templates;
    const resolved = resolveCollisions(matches, this.collisions, Math.round(before / 2), [
      before,
      x.rows - this.after - 1,
    ]);
    const local: Peak[] = Array.from(resolved.times, (time, i) => {
      const unit = resolved.units[i];
      const sample = Math.round(time);
      const channel = this.peakChannels[unit];
      return { sample, time, channel, z: x.data[sample * C + channel] / this.noise[channel] };
    });
    const all = [
      ...local.map((p, i) => ({ p, label: resolved.units[i] })),
      ...matches.unmatched.map((p) => ({ p, label: -1 })),
    ].sort((a, b) => a.p.time - b.p.time);
    const snippets = extractSnippets(
      w,
      all.map((e) => e.p),
      { before, after: this.after },
    );
    const waveforms =
      w === x
        ? snippets
        : extractSnippets(
            x,
            all.map((e) => e.p),
            { before, after: this.after },
          );
    this.features.push(projectPca(this.pca, { data: snippets.data, rows: all.length, cols: this.dim }).data);
    all.forEach(({ p, label }, i) => {
      this.peaks.push({ ...p, sample: p.sample + offset, time: p.time + offset });
      this.labels.push(label);
      if (label < 0) return;
      this.counts[label]++;
      const sum = this.sums[label];
      for (let j = 0; j < this.dim; j++) sum[j] += waveforms.data[i * this.dim + j];
      this.residuals[label].push(this.spikeResidual(label, waveforms.data.subarray(i * this.dim, (i + 1) * this.dim)));
      this.keepSample(label, snippets.data.subarray(i * this.dim, (i + 1) * this.dim));
    });
    this.takeClips(w, core);
  }

  /** The energy (in noise units per channel) a spike's waveform leaves about its unit's template, scaled to fit it. */
  private spikeResidual(unit: number, waveform: Float32Array): number {
    const t = this.templates.filtered.subarray(unit * this.dim, (unit + 1) * this.dim);
    const w = this.weights,
      tt = this.energies[unit];
    let ss = 0,
      st = 0;
    for (let j = 0; j < this.dim; j++) {
      const v = waveform[j] * w[j];
      ss += v * waveform[j];
      st += v * t[j];
    }
    return tt > 0 ? ss - (st * st) / tt : ss;
  }

  private keepSample(unit: number, waveform: Float32Array): void {
    const seen = this.counts[unit];
    const slot = seen <= SAMPLE ? seen - 1 : this.rng.int(seen);
    if (seen === 1) this.samples[unit] = new Float32Array(SAMPLE * this.overlapDim);
    if (slot < SAMPLE) this.samples[unit].set(this.overlapPart(waveform), slot * this.overlapDim);
  }

  /** The samples of a (length × channels) waveform that noise overlap reads. */
  private overlapPart(waveform: Float32Array): Float32Array {
    const [from, to] = this.overlapWindow,
      C = this.templates.channels;
    return waveform.subarray(from * C, to * C);
  }

  private takeClips(x: Matrix<Float32Array | Float64Array>, [from, to]: readonly [number, number]): void {
    const { before } = this.templates;
    this.rowsSeen += to - from;
    const want = Math.min(SAMPLE, Math.floor((SAMPLE * this.rowsSeen) / this.totalRows)) - this.clipCount;
    const lo = Math.max(from, before),
      hi = Math.min(to, x.rows - this.after);
    if (want <= 0 || hi <= lo) return;
    const centres = Array.from({ length: want }, () => ({
      sample: lo + this.rng.int(hi - lo),
      time: 0,
      channel: 0,
      z: 0,
    }));
    for (const c of centres) c.time = c.sample;
    const clips = extractSnippets(x, centres, { before, after: this.after, subsample: false });
    for (let i = 0; i < want; i++)
      this.clips.set(
        this.overlapPart(clips.data.subarray(i * this.dim, (i + 1) * this.dim)),
        (this.clipCount + i) * this.overlapDim,
      );
    this.clipCount += want;
  }

  /**
   * The group sorting so far; units that matched no spike are left out and the rest renumbered.
   * `noiseOverlaps`: the kept units' noise overlaps, computed elsewhere from `noiseOverlapJobs()`
   * (default: computed here).
   */
  result(noiseOverlaps?: Float64Array): GroupSorting {
    const { kept, renumber, units } = this.keptUnits();
    const labels = Int32Array.from(this.labels, (l) => (l < 0 ? -1 : renumber.get(l)!));
    if (noiseOverlaps && noiseOverlaps.length !== kept.length)
      throw new ParameterError('noiseOverlaps', `one per unit with spikes (${kept.length})`, noiseOverlaps.length);
    const k = this.pca.k;
    const features = new Float32Array(this.peaks.length * k);
    let at = 0;
    for (const f of this.features) {
      features.set(f, at);
      at += f.length;
    }
    return {
      units,
      peaks: this.peaks.slice(),
      labels,
      features,
      components: k,
      noise: this.noise,
      snippetLength: this.templates.length,
      channels: this.templates.channels,
      noiseOverlaps: noiseOverlaps ?? Float64Array.from(this.jobsOf(kept, units), noiseOverlapOf),
    };
  }

  /**
   * Per unit kept by `result()`, what its noise overlap is computed from (`noiseOverlapOf`): up to
   * 1000 of its whitened waveforms and the noise clips, ±0.5 ms about the peak, on every channel or
   * its largest channel's neighbours. Independent of each other, so they may be computed on several workers.
   */
  noiseOverlapJobs(): NoiseOverlapJob[] {
    const { kept, units } = this.keptUnits();
    return this.jobsOf(kept, units);
  }

  /** noiseOverlapJobs of the kept units (keptUnits), so that result() builds them once. */
  private jobsOf(kept: number[], units: SortedUnit[]): NoiseOverlapJob[] {
    const { channels } = this.templates;
    // the overlap window's samples, every channel or the peak's neighbours; copies (a job may be transferred)
    const clips = this.clips.slice(0, this.clipCount * this.overlapDim);
    return kept.map((u, i) => {
      const waveforms = this.samples[u].slice(0, Math.min(SAMPLE, this.counts[u]) * this.overlapDim);
      const near = this.neighbours?.[units[i].peakChannel];
      const options = { length: this.overlapDim / channels, components: NOISE_OVERLAP_COMPONENTS };
      if (!near || near.length >= channels) return { waveforms, clips, options: { ...options, channels } };
      return {
        waveforms: pickChannels(waveforms, channels, near),
        clips: pickChannels(clips, channels, near),
        options: { ...options, channels: near.length },
      };
    });
  }

  /** The units that matched some spike, renumbered in order, with their mean waveforms and spikes. */
  private keptUnits(): { kept: number[]; renumber: Map<number, number>; units: SortedUnit[] } {
    const { channels } = this.templates;
    const kept = [...this.counts.keys()].filter((u) => this.counts[u] > 0);
    const renumber = new Map(kept.map((u, i) => [u, i]));
    const units: SortedUnit[] = kept.map((u) => {
      const template = Float32Array.from(this.sums[u], (v) => v / this.counts[u]);
      const { channel: peakChannel, amplitude: amp } = largestChannel(template, channels);
      const samples = new Float64Array(this.counts[u]);
      let at = 0;
      this.labels.forEach((l, i) => l === u && (samples[at++] = this.peaks[i].time));
      const collision = this.collisions.find((c) => c.unit === u);
      return {
        samples,
        template,
        peakChannel,
        snr: amp / this.noise[peakChannel],
        spread: upperMedian(this.residuals[u]),
        ...(collision ? { collisionOf: [collision.a, collision.b].map((p) => renumber.get(p) ?? -1) } : {}),
      };
    });
    return { kept, renumber, units };
  }
}

/** One unit's noise overlap to compute (`SortingAccumulator.noiseOverlapJobs`): noiseOverlap's arguments. */
export interface NoiseOverlapJob {
  waveforms: Float32Array;
  clips: Float32Array;
  options: NoiseOverlapOptions;
}

/** A unit's noise overlap (SpikeInterface's nn_noise_overlap) from its job. */
export function noiseOverlapOf(job: NoiseOverlapJob): number {
  return noiseOverlap(job.waveforms, job.clips, job.options);
}

/**
 * Matched spikes with each spike of a collision template (two units' synchronous spikes, `twoSpikes`)
 * given back to its two units, at their lags (the collision template holds unit a's template `lagA` samples
 * later, so a fired at t + lagA), nested collisions resolved in turn; a resolved spike within
 * `apart` samples of a spike its unit already has, or outside `within` (samples, where a whole
 * snippet exists), is left out. In time order.
 */
export function resolveCollisions(
  matches: Pick<Matches, 'times' | 'units'>,
  collisions: readonly Collision[],
  apart: number,
  within: readonly [number, number],
): { times: Float64Array; units: Int32Array } {
  const byUnit = new Map(collisions.filter(twoSpikes).map((c) => [c.unit, c]));
  if (!byUnit.size) return { times: matches.times, units: matches.units };
  const own: { time: number; unit: number }[] = [],
    given: { time: number; unit: number }[] = [];
  const give = (time: number, unit: number, depth: number) => {
    const c = byUnit.get(unit);
    if (!c || depth > 3) return (depth ? given : own).push({ time, unit });
    give(time + c.lagA, c.a, depth + 1);
    give(time + c.lagB, c.b, depth + 1);
  };
  matches.times.forEach((t, i) => give(t, matches.units[i], 0));
  const kept = [...own];
  const times = new Map<number, number[]>();
  for (const e of own) (times.get(e.unit) ?? times.set(e.unit, []).get(e.unit)!).push(e.time);
  for (const list of times.values()) list.sort((a, b) => a - b);
  for (const e of given) {
    if (e.time < within[0] || e.time > within[1]) continue;
    const list = times.get(e.unit) ?? [];
    if (list.length && Math.abs(list[nearestIndex(list, e.time)] - e.time) <= apart) continue;
    kept.push(e);
  }
  kept.sort((a, b) => a.time - b.time);
  return { times: Float64Array.from(kept, (e) => e.time), units: Int32Array.from(kept, (e) => e.unit) };
}

/**
 * Whether a collision is surely two spikes: both parts at a whole spike's size (0.75–1.33) and at
 * least 2 samples apart. Two templates summed at the same instant, or one at a fraction of its size,
 * is what one neuron between two others looks like too (each channel sees a mix of theirs), so such
 * a unit keeps its spikes.
 */
function twoSpikes(c: Collision): boolean {
  const whole = (s: number) => s >= 0.75 && s <= 1.33;
  return whole(c.scaleA) && whole(c.scaleB) && Math.abs(c.lagA - c.lagB) >= 2;
}

/**
 * The upper of the two middle values for an even count (not core's mean of both): collisionUnits'
 * minSpread 1.05 was measured with it, and it is always one unit's actual residual.
 */
function upperMedian(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  return sorted.length ? sorted[sorted.length >> 1] : NaN;
}

/** Index of the value in sorted `list` nearest `x`. */
function nearestIndex(list: readonly number[], x: number): number {
  let lo = 0,
    hi = list.length - 1;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (list[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo > 0 && x - list[lo - 1] < list[lo] - x ? lo - 1 : lo;
}

/** The channel of a waveform's (samples × channels) largest absolute value, and that value. */
export function largestChannel(template: Float32Array, channels: number): { channel: number; amplitude: number } {
  let channel = 0,
    amplitude = 0;
  for (let j = 0; j < template.length; j++)
    if (Math.abs(template[j]) > amplitude) {
      amplitude = Math.abs(template[j]);
      channel = j % channels;
    }
  return { channel, amplitude };
}

/** The given channels of rows of (samples × channels) waveforms, in that order. */
function pickChannels(x: Float32Array, channels: number, keep: readonly number[]): Float32Array {
  const samples = x.length / channels;
  const out = new Float32Array(samples * keep.length);
  for (let t = 0; t < samples; t++)
    for (let k = 0; k < keep.length; k++) out[t * keep.length + k] = x[t * channels + keep[k]];
  return out;
}
