import { StoreError, checkOptionNames, searchSorted } from '@spyglass-wasm/core';
import {
  lineageGraph,
  loadResult,
  type Entity,
  type LineageGraph,
  type ResultData,
  type ResultRecord,
  type ResultRepository,
  type StepInput,
} from '@spyglass-wasm/provenance';
import type { ReplayEvent } from '../steps/replay.js';
import { fitSortedSpikes } from '@spyglass-wasm/decoding';
import { bandAnalysis } from '@spyglass-wasm/dsp-wasm';
import { positionCm, unitsOf } from '../steps/decode.js';
import { positionOf } from '../steps/position.js';
import { unitSpikeTimes } from '../nwb/units.js';

/** A posterior over position bins (rows: time bins), as a heat map draws it. */
export interface PosteriorImage {
  /** Time of each row (s, session time base). */
  time: Float64Array;
  /** Position (cm) of each column, ascending. */
  position: Float64Array;
  /** rows × columns, row-major, each row summing to ~1. */
  posterior: Float32Array;
}

export interface DecodeView extends PosteriorImage {
  kind: 'decode';
  /** The animal's position (cm) along the decoded axis, when its source could be read. */
  truth?: { time: Float64Array; position: Float64Array };
  /** Most probable position (cm) per row. */
  map: Float64Array;
  /** As the decode step reports it: MAP and posterior-mean errors, all and running-only (cm). */
  error: Record<string, Record<string, number>>;
  /**
   * Sorted mode on a 1-D track: each unit's place field (rate over `position`, encoding interval,
   * the decode's KDE), units ordered by peak position; `fields` is units × positions, each row
   * scaled to its peak (`peakHz`).
   */
  placeFields?: { units: Int32Array; peakHz: Float64Array; fields: Float32Array };
  /** Rows averaged into one to keep the image under `maxTimeBins` (1: as decoded). */
  timeBinsMerged: number;
  mode: string;
  train: [number, number];
  decode: [number, number];
}

export interface ReplayView {
  kind: 'replay';
  events: (ReplayEvent & {
    posterior: PosteriorImage;
    ripple?: { start: number; end: number; peak: number; maxZscore: number };
  })[];
  encode: [number, number];
  mode: string;
}

export interface RipplesView {
  kind: 'ripples';
  events: { start: number; peak: number; end: number; maxZscore: number; speedAtPeak: number }[];
  detector: string;
  speedGated: boolean;
  /**
   * Around each of the first ripples (by time), on the channel with the most ripple-band power:
   * the LFP, the ripple band (the detector's filter) and its envelope, ±`snippetHalfWidth` s of the peak.
   */
  snippets: { time: Float64Array; lfp: Float32Array; band: Float32Array; envelope: Float32Array; channel: number }[];
  /** Speed (cm/s) over the session, when the ripples were gated by a position result. */
  speed?: { time: Float64Array; speed: Float64Array };
}

/** Multiunit high-synchrony events, with the speed their gate read from the position result. */
export interface MuaEventsView {
  kind: 'mua-events';
  events: { start: number; peak: number; end: number; maxZscore: number; speedAtPeak: number }[];
  /** 'units' (sorted) or 'crossings' (threshold crossings of a marks result). */
  spikeSource: string;
  speedGated: boolean;
  speed?: { time: Float64Array; speed: Float64Array };
}

export interface SortView {
  kind: 'sort';
  units: {
    group: string;
    peakChannel: number;
    label: string;
    metrics: Record<string, number>;
    spikeTimes: Float64Array;
    waveform: Float32Array;
  }[];
  fs: number;
}

/** What the viewer and `spyglass report` show for one result: its data in plot-ready form and its lineage. */
export interface ResultView {
  key: string;
  step: string;
  summary: Record<string, unknown>;
  paramSetName?: string;
  createdAt: string;
  lineage: LineageGraph;
  /** Undefined for steps without a view (lfp, position, …): their lineage is still drawn. */
  data?: DecodeView | ReplayView | RipplesView | MuaEventsView | SortView;
}

export interface ResultViewOptions {
  /** Ripples: how many of the first ripples get an LFP snippet (default 24). */
  maxSnippets?: number;
  /** Ripples: half width of each snippet around the peak, s (default 0.15). */
  snippetHalfWidth?: number;
  /** Decode heat maps are averaged over time down to this many rows (default 4000). */
  maxTimeBins?: number;
  /** Input files held in memory (the viewer's open File), by entity id, when their path is no file. */
  blobs?: ReadonlyMap<string, Blob>;
}

/**
 * A result in plot-ready form, with its lineage graph: a decode's posterior (marginal over the
 * first position axis, time-averaged to `maxTimeBins` rows) with the true position from its
 * position or session input; a replay's events each with their posterior and ripple; ripples with
 * speed; MUA events with speed; sort units with spike times and waveforms.
 *
 * @example
 * const view = await resultView(store, key);
 * if (view.data?.kind === 'decode') console.log(view.data.error.map.medianRunningCm);
 */
export async function resultView(
  store: ResultRepository,
  key: string,
  options: ResultViewOptions = {},
): Promise<ResultView> {
  checkOptionNames('resultView', options, ['maxTimeBins', 'blobs', 'maxSnippets', 'snippetHalfWidth']);
  const record = await store.getResult(key);
  if (!record) throw new StoreError(`no result ${key} in the store`);
  const data = await loadResult(store, record);
  const base = {
    key,
    step: record.step,
    summary: record.summary,
    paramSetName: record.activity.paramSetName,
    createdAt: record.activity.endedAt,
    lineage: await lineageGraph(store, key),
  };
  switch (record.step) {
    case 'decode':
      return { ...base, data: await decodeView(store, record, data, options) };
    case 'replay':
      return { ...base, data: await replayView(store, record, data) };
    case 'ripples':
      return { ...base, data: await ripplesView(store, record, data, options) };
    case 'mua-events':
      return { ...base, data: await muaEventsView(store, record, data) };
    case 'sort':
    case 'curate':
      return { ...base, data: sortView(data) };
    default:
      return base;
  }
}

/**
 * A result's input `role` as a step reads it (an upstream result loaded, or a file with its blob when held in memory).
 */
async function stepInput(
  store: ResultRepository,
  record: ResultRecord,
  role: string,
  blobs?: ReadonlyMap<string, Blob>,
): Promise<StepInput | undefined> {
  const id = record.activity.inputs[role];
  if (!id) return undefined;
  if (id.startsWith('result:')) {
    const r = await store.getResult(id.slice(7));
    return r ? { kind: 'result', id, key: r.key, data: await loadResult(store, r), summary: r.summary } : undefined;
  }
  const entity: Entity | undefined = await store.getEntity(id);
  if (!entity) return undefined;
  const blob = blobs?.get(id);
  return { kind: 'file', id, path: entity.path ?? entity.label ?? id, entity, ...(blob ? { blob } : {}) };
}

/**
 * The first of `roles` whose position can be read, with `read` (positionOf or positionCm). The
 * file may be gone or (in a browser) not at hand: then the view is drawn without it.
 */
async function readPosition<T>(
  store: ResultRepository,
  record: ResultRecord,
  roles: string[],
  read: (input: StepInput, role: string) => Promise<T>,
  blobs?: ReadonlyMap<string, Blob>,
): Promise<T | undefined> {
  for (const role of roles) {
    const input = await stepInput(store, record, role, blobs);
    if (input?.kind === 'result' && input.data.arrays.speed === undefined) continue; // not a position result
    const p = input && (await read(input, role).catch(() => undefined));
    if (p) return p;
  }
  return undefined;
}

async function decodeView(
  store: ResultRepository,
  record: ResultRecord,
  d: ResultData,
  options: ResultViewOptions,
): Promise<DecodeView> {
  const [n, nBins] = d.arrays.positionPosterior.shape;
  const dims = d.arrays.binCenters.shape[1] ?? 1;
  const centers = d.arrays.binCenters.data as Float64Array;
  const post = d.arrays.positionPosterior.data as Float32Array;
  // marginal over the first axis: one column per distinct first coordinate
  const xs = [...new Set(Array.from({ length: nBins }, (_, b) => centers[b * dims]))].sort((a, b) => a - b);
  const column = new Map(xs.map((x, i) => [x, i]));
  const colOf = Int32Array.from({ length: nBins }, (_, b) => column.get(centers[b * dims])!);
  const merge = Math.max(1, Math.ceil(n / (options.maxTimeBins ?? 4000)));
  const rows = Math.ceil(n / merge);
  const image = new Float32Array(rows * xs.length);
  const time = new Float64Array(rows);
  const map = new Float64Array(rows);
  const t = d.arrays.time.data as Float64Array;
  for (let r = 0; r < rows; r++) {
    const lo = r * merge,
      hi = Math.min(n, lo + merge);
    for (let i = lo; i < hi; i++)
      for (let b = 0; b < nBins; b++) image[r * xs.length + colOf[b]] += post[i * nBins + b] / (hi - lo);
    time[r] = (t[lo] + t[hi - 1]) / 2;
    let best = 0;
    for (let c = 1; c < xs.length; c++) if (image[r * xs.length + c] > image[r * xs.length + best]) best = c;
    map[r] = xs[best];
  }
  // the position as the decode step read it (constant columns dropped): its first column is the decoded axis
  const p = await readPosition(store, record, ['position', 'session', 'units'], positionCm, options.blobs);
  const truth = p
    ? { time: p.times, position: Float64Array.from(p.times, (_, i) => p.cm.data[i * p.cm.cols]) }
    : undefined;
  const placeFields =
    p && dims === 1 && d.json.mode === 'sorted' ? await placeFieldsOf(store, record, p, options.blobs) : undefined;
  return {
    kind: 'decode',
    time,
    position: Float64Array.from(xs),
    posterior: image,
    map,
    truth,
    placeFields,
    timeBinsMerged: merge,
    error: d.json.error as DecodeView['error'],
    mode: d.json.mode as string,
    train: d.json.train as [number, number],
    decode: d.json.decode as [number, number],
  };
}

/** The decode's encoding model refitted (the same KDE on the same interval), as place fields ordered by peak. */
async function placeFieldsOf(
  store: ResultRepository,
  record: ResultRecord,
  p: Awaited<ReturnType<typeof positionCm>>,
  blobs?: ReadonlyMap<string, Blob>,
): Promise<DecodeView['placeFields']> {
  const units = await stepInput(store, record, 'units', blobs);
  const spikes = units && (await unitsOf(units).catch(() => undefined));
  if (!spikes?.length) return undefined;
  const params = record.activity.params;
  const train = (await loadResult(store, record)).json.train as [number, number];
  const model = fitSortedSpikes(
    {
      position: p.cm,
      positionTimes: p.times,
      interval: train,
      environment: { binSize: params.placeBinSize as number },
      positionStd: params.positionStd as number,
    },
    spikes,
  );
  const bins = model.env.nBins,
    centers = model.env.centers.data;
  const peak = (u: number) => {
    let best = 0;
    for (let b = 1; b < bins; b++) if (model.rates[u * bins + b] > model.rates[u * bins + best]) best = b;
    return best;
  };
  const order = Int32Array.from({ length: model.nUnits }, (_, u) => u).sort(
    (a, b) => centers[peak(a)] - centers[peak(b)],
  );
  const peakHz = Float64Array.from(order, (u) => model.rates[u * bins + peak(u)]);
  const fields = new Float32Array(order.length * bins);
  order.forEach((u, r) => {
    for (let b = 0; b < bins; b++)
      fields[r * bins + b] = model.env.isInterior[b] ? model.rates[u * bins + b] / peakHz[r] : 0;
  });
  return { units: order, peakHz, fields };
}

async function replayView(store: ResultRepository, record: ResultRecord, d: ResultData): Promise<ReplayView> {
  const events = d.json.events as ReplayEvent[];
  const ends = d.arrays.posteriorEnds.data as Int32Array;
  const nBins = d.arrays.binCenters.shape[0];
  const centers = d.arrays.binCenters.data as Float64Array;
  const time = d.arrays.posteriorTime.data as Float64Array,
    post = d.arrays.posterior.data as Float32Array;
  const ripplesId = record.activity.inputs.ripples;
  const ripples = ripplesId ? await store.getResult(ripplesId.slice(7)) : undefined;
  const rippleEvents = ripples
    ? ((await loadResult(store, ripples)).json.events as {
        start: number;
        end: number;
        peak: number;
        maxZscore: number;
      }[])
    : [];
  return {
    kind: 'replay',
    encode: d.json.encode as [number, number],
    mode: d.json.mode as string,
    events: events.map((e, i) => {
      const lo = i ? ends[i - 1] : 0,
        hi = ends[i];
      const ripple = rippleEvents.find((r) => r.end > e.start && r.start < e.stop);
      return {
        ...e,
        ...(ripple
          ? { ripple: { start: ripple.start, end: ripple.end, peak: ripple.peak, maxZscore: ripple.maxZscore } }
          : {}),
        posterior: {
          time: time.slice(lo, hi),
          position: Float64Array.from(centers),
          posterior: post.slice(lo * nBins, hi * nBins),
        },
      };
    }),
  };
}

async function ripplesView(
  store: ResultRepository,
  record: ResultRecord,
  d: ResultData,
  options: ResultViewOptions,
): Promise<RipplesView> {
  const events = (d.json.events as RipplesView['events']).map((e) => ({
    start: e.start,
    peak: e.peak,
    end: e.end,
    maxZscore: e.maxZscore,
    speedAtPeak: e.speedAtPeak,
  }));
  const p = await readPosition(store, record, ['position'], positionOf);
  const lfp = await stepInput(store, record, 'lfp');
  const snippets =
    lfp?.kind === 'result'
      ? rippleSnippets(
          lfp.data,
          events.slice(0, options.maxSnippets ?? 24),
          record.activity.params,
          options.snippetHalfWidth ?? 0.15,
        )
      : [];
  return {
    kind: 'ripples',
    events,
    detector: d.json.detector as string,
    speedGated: d.json.speedGated as boolean,
    snippets,
    ...(p ? { speed: { time: p.times, speed: p.speed } } : {}),
  };
}

async function muaEventsView(store: ResultRepository, record: ResultRecord, d: ResultData): Promise<MuaEventsView> {
  const p = await readPosition(store, record, ['position'], positionOf);
  return {
    kind: 'mua-events',
    events: d.json.events as MuaEventsView['events'],
    spikeSource: d.json.spikeSource as string,
    speedGated: d.json.speedGated as boolean,
    ...(p ? { speed: { time: p.times, speed: p.speed } } : {}),
  };
}

/** LFP, ripple band and envelope around each peak, filtered on a padded slice so the filter's edges fall outside. */
function rippleSnippets(
  lfp: ResultData,
  events: RipplesView['events'],
  params: Record<string, unknown>,
  half: number,
): RipplesView['snippets'] {
  const [rows, cols] = lfp.arrays.data.shape;
  const data = lfp.arrays.data.data as Float32Array,
    time = lfp.arrays.timestamps.data as Float64Array;
  const fs = lfp.json.fs as number;
  const pad = half + 0.25; // longer than the band filter's half length at 1 kHz
  return events.map((e) => {
    const a = searchSorted(time, e.peak - pad),
      b = Math.min(rows, searchSorted(time, e.peak + pad));
    const slice = { data: data.slice(a * cols, b * cols), rows: b - a, cols };
    const band = bandAnalysis(slice, {
      fs,
      band: params.band as [number, number],
      transition: params.transition as number,
    });
    const w0 = searchSorted(time, e.peak - half) - a,
      w1 = searchSorted(time, e.peak + half) - a;
    let channel = 0,
      best = -1;
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let i = w0; i < w1; i++) sum += band.power.data[i * cols + c];
      if (sum > best) ((best = sum), (channel = c));
    }
    const col = (m: ArrayLike<number>, f = (x: number) => x) =>
      Float32Array.from({ length: w1 - w0 }, (_, i) => f(m[(w0 + i) * cols + channel]));
    return {
      time: time.slice(a + w0, a + w1),
      lfp: col(slice.data),
      band: col(band.filtered.data),
      envelope: col(band.power.data, Math.sqrt),
      channel,
    };
  });
}

function sortView(d: ResultData): SortView {
  const units = d.json.units as {
    group: string;
    peakChannel: number;
    label?: string;
    metrics: Record<string, number>;
  }[];
  const spikeTimes = unitSpikeTimes(d);
  const wf = d.arrays.waveformMean;
  const len = wf?.shape[1] ?? 0;
  return {
    kind: 'sort',
    fs: d.json.fs as number,
    units: units.map((u, i) => ({
      group: String(u.group),
      peakChannel: u.peakChannel,
      label: u.label ?? 'unlabelled',
      metrics: u.metrics,
      spikeTimes: spikeTimes[i],
      waveform: wf ? Float32Array.from({ length: len }, (_, j) => wf.data[i * len + j]) : new Float32Array(0),
    })),
  };
}
