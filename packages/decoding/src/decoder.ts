import { ParameterError, StagedProgress, type Matrix, type ProgressCallback } from '@spyglass-wasm/core';
import type { Environment } from './environment/environment.js';
import type { SortedSpikesModel } from './encoding/sorted-model.js';
import type { ClusterlessModel, MarkedSpikes } from './encoding/clusterless-model.js';
import { sortedSpikesLikelihood, sortedSpikesLikelihoodRows, type LikelihoodRows } from './likelihood/sorted.js';
import { clusterlessLikelihood, clusterlessLikelihoodRows } from './likelihood/clusterless.js';
import { binCenters, makeTimeBins, type TimeBins } from './likelihood/time-bins.js';
import {
  buildTransition,
  stateSpacePreset,
  type StateSpaceOptions,
  type Transition,
} from './state-space/transition.js';
import { checkChunkBins, filterSmooth, filterSmoothChunks, filterSmoothInOrder } from './state-space/filter.js';
import { summarizePosterior, summarizeRows, summaryArrays, type PosteriorSummary } from './results/summarize.js';

export interface DecodeOptions {
  /** Decode [start, stop) seconds. */
  start: number;
  stop: number;
  /** Time bin (s), default 0.002. */
  binSize?: number;
  /** 'continuous' (default), 'continuous-fragmented', or a full state-space description. */
  stateSpace?: 'continuous' | 'continuous-fragmented' | StateSpaceOptions;
  /** Random-walk variance (cm² per time step) for the presets, default 6. */
  movementVar?: number;
  /** Acausal smoother (default true); the causal filter is always returned. */
  smoother?: boolean;
  backend?: 'wasm' | 'reference';
  /**
   * Time bins per filter/smoother kernel call (default 2000), so progress is reported between
   * chunks; the result is bit-identical whatever the chunk size.
   */
  chunkBins?: number;
  /** Fraction done, 0..1 (likelihood, then filter and smoother chunk by chunk); only increases. */
  onProgress?: ProgressCallback;
  /**
   * Keep only the summaries (DecodingSummary: MAP, mean, marginals, the position posterior in
   * float32), never the whole nTime × states·bins posterior: memory that grows by a float32 row
   * of position bins per time bin, not several float64 rows (the forward filter runs twice).
   */
  summaryOnly?: boolean;
  /**
   * Hand the summaries out chunk by chunk in time order (DecodingChunks), so that they can be
   * written as they come: memory does not grow with the decoded span (the sorted and clusterless
   * likelihoods are computed a chunk at a time, at each pass). Bit-identical to summaryOnly;
   * CPU: one more filter and smoother pass than summaryOnly (filterSmoothInOrder).
   */
  inChunks?: boolean;
}

/** A decode without the full posterior: its summaries, the position posterior in float32. */
export interface DecodingSummary extends PosteriorSummary<Float32Array> {
  env: Environment;
  stateNames: string[];
  /** Centre time of each decoding bin (s). */
  time: Float64Array;
  bins: TimeBins;
  logMarginal: number;
}

/** A decode's summaries of time bins [start, start + time.length), the position posterior in float32. */
export interface DecodingChunk extends PosteriorSummary<Float32Array> {
  /** First time bin of the chunk. */
  start: number;
  /** Centre time of each of its bins (s). */
  time: Float64Array;
}

/** A decode handed out in chunks of time bins, first first (`inChunks`). */
export interface DecodingChunks {
  env: Environment;
  stateNames: string[];
  bins: TimeBins;
  logMarginal: number;
  /** The chunks, each computed when asked for (iterate once). */
  chunks: Iterable<DecodingChunk>;
}

/** Everything a decode produces. */
export interface DecodingResult extends PosteriorSummary {
  env: Environment;
  stateNames: string[];
  /** Centre time of each decoding bin (s). */
  time: Float64Array;
  bins: TimeBins;
  /** nTime × (nStates·nBins), smoothed when asked, else filtered. */
  posterior: Matrix<Float64Array>;
  /** nTime × (nStates·nBins) causal posterior. */
  filtered: Matrix<Float64Array>;
  logMarginal: number;
}

/**
 * Decodes position from sorted spikes with a state-space model (Poisson likelihood, random-walk
 * or continuous/fragmented dynamics, filter + smoother).
 *
 * @example
 * const model = fitSortedSpikes({ position, positionTimes, interval: [0, 720] }, spikeTimes);
 * const result = decodeSortedSpikes(model, spikeTimes, { start: 720, stop: 900 });
 * decodingError(result.time, result.mean, positionTimes, position).medianRunning;
 */
export function decodeSortedSpikes(
  model: SortedSpikesModel,
  spikeTimes: readonly Float64Array[],
  options: DecodeOptions & { inChunks: true },
): DecodingChunks;
export function decodeSortedSpikes(
  model: SortedSpikesModel,
  spikeTimes: readonly Float64Array[],
  options: DecodeOptions & { summaryOnly: true },
): DecodingSummary;
export function decodeSortedSpikes(
  model: SortedSpikesModel,
  spikeTimes: readonly Float64Array[],
  options: DecodeOptions,
): DecodingResult;
export function decodeSortedSpikes(
  model: SortedSpikesModel,
  spikeTimes: readonly Float64Array[],
  options: DecodeOptions,
): DecodingResult | DecodingSummary | DecodingChunks {
  checkChunkBins(options.chunkBins);
  const bins = makeTimeBins(options.start, options.stop, { binSize: options.binSize });
  const progress = new StagedProgress(options.onProgress, { likelihood: 1, stateSpace: 4 });
  // summaries only: the likelihood is computed a chunk of rows at a time, as the filter needs them
  const ll =
    options.summaryOnly || options.inChunks
      ? sortedSpikesLikelihoodRows(model, spikeTimes, bins, { backend: options.backend })
      : sortedSpikesLikelihood(model, spikeTimes, bins, { backend: options.backend });
  progress.stage('likelihood')(1);
  const onProgress = progress.stage('stateSpace');
  if (options.inChunks) return stateSpaceChunks(model.env, ll, bins, { ...options, onProgress });
  return 'data' in ll
    ? runStateSpace(model.env, ll, bins, { ...options, onProgress })
    : stateSpaceSummary(model.env, ll, bins, { ...options, onProgress });
}

/**
 * Decodes position from clusterless marks (spike waveform amplitudes per electrode group).
 *
 * @example
 * const model = fitClusterless({ position, positionTimes, interval: [0, 720] }, groups);
 * const result = decodeClusterless(model, groups, { start: 720, stop: 900 });
 */
export function decodeClusterless(
  model: ClusterlessModel,
  groups: readonly MarkedSpikes[],
  options: DecodeOptions & { inChunks: true },
): DecodingChunks;
export function decodeClusterless(
  model: ClusterlessModel,
  groups: readonly MarkedSpikes[],
  options: DecodeOptions & { summaryOnly: true },
): DecodingSummary;
export function decodeClusterless(
  model: ClusterlessModel,
  groups: readonly MarkedSpikes[],
  options: DecodeOptions,
): DecodingResult;
export function decodeClusterless(
  model: ClusterlessModel,
  groups: readonly MarkedSpikes[],
  options: DecodeOptions,
): DecodingResult | DecodingSummary | DecodingChunks {
  checkChunkBins(options.chunkBins);
  const bins = makeTimeBins(options.start, options.stop, { binSize: options.binSize });
  if (options.summaryOnly || options.inChunks) {
    // the likelihood computed a chunk of rows at a time as the filter asks (again at each pass):
    // its cost is in the state space's progress
    const ll = clusterlessLikelihoodRows(model, groups, bins, { backend: options.backend });
    const space = options.inChunks ? stateSpaceChunks : stateSpaceSummary;
    return space(model.env, ll, bins, options);
  }
  const progress = new StagedProgress(options.onProgress, { likelihood: 4, stateSpace: 1 });
  const ll = clusterlessLikelihood(model, groups, bins, {
    backend: options.backend,
    onProgress: progress.stage('likelihood'),
  });
  return runStateSpace(model.env, ll, bins, { ...options, onProgress: progress.stage('stateSpace') });
}

/** The state-space half of decoding, given any log-likelihood (nTime × nBins). */
export function runStateSpace(
  env: Environment,
  loglik: Matrix<Float64Array>,
  bins: TimeBins,
  options: Omit<DecodeOptions, 'start' | 'stop'>,
): DecodingResult {
  const tr = transitionOf(env, options);
  const progress = new StagedProgress(options.onProgress, { filterSmooth: 9, summary: 1 });
  const f = filterSmooth(loglik, tr, {
    smoother: options.smoother,
    backend: options.backend,
    chunkBins: options.chunkBins,
    onProgress: progress.stage('filterSmooth'),
  });
  const posterior = f.smoothed ?? f.filtered;
  progress.stage('summary');
  const summary = summarizePosterior(posterior, tr, env);
  progress.done();
  return {
    ...summary,
    env,
    stateNames: tr.stateNames,
    time: binCenters(bins),
    bins,
    posterior,
    filtered: f.filtered,
    logMarginal: f.logMarginal,
  };
}

/**
 * runStateSpace's summaries (bit for bit; the position posterior rounded to float32) without the
 * full posterior: the smoother's chunks are summarised as they come (filterSmoothChunks), so
 * memory beyond the log-likelihood is the summaries' (a float32 row of position bins per time bin).
 */
function stateSpaceSummary(
  env: Environment,
  loglik: Matrix<Float64Array> | LikelihoodRows,
  bins: TimeBins,
  options: Omit<DecodeOptions, 'start' | 'stop'>,
): DecodingSummary {
  const { tr, kernelOptions, scratch } = summarySetup(env, options, 'summaryOnly');
  const out = summaryArrays(loglik.rows, tr, env, new Float32Array(loglik.rows * tr.nBins));
  const { logMarginal } = filterSmoothChunks(loglik, tr, {
    ...kernelOptions,
    onChunk: (start, rows) => summarizeRows(rows, start, tr, env, out, scratch),
  });
  return { ...out, env, stateNames: tr.stateNames, time: binCenters(bins), bins, logMarginal };
}

/**
 * stateSpaceSummary's summaries (bit for bit) chunk by chunk in time order (filterSmoothInOrder),
 * each summarised when asked for: memory beyond the log-likelihood does not grow with nTime.
 */
function stateSpaceChunks(
  env: Environment,
  loglik: Matrix<Float64Array> | LikelihoodRows,
  bins: TimeBins,
  options: Omit<DecodeOptions, 'start' | 'stop'>,
): DecodingChunks {
  const { tr, kernelOptions, scratch } = summarySetup(env, options, 'inChunks');
  const smoothed = filterSmoothInOrder(loglik, tr, kernelOptions);
  function* chunks(): Generator<DecodingChunk> {
    for (const { start, rows } of smoothed.chunks) {
      const n = rows.length / tr.n;
      const out = summaryArrays(n, tr, env, new Float32Array(n * tr.nBins));
      summarizeRows(rows, 0, tr, env, out, scratch);
      // the same centre times as binCenters (same expression, whole-run index)
      const time = Float64Array.from({ length: n }, (_, i) => bins.start + (start + i + 0.5) * bins.binSize);
      yield { ...out, start, time };
    }
  }
  return { env, stateNames: tr.stateNames, bins, logMarginal: smoothed.logMarginal, chunks: chunks() };
}

/**
 * What the summarising paths (which need the smoother on) share: the transition of `options`, the
 * options the chunked filter/smoother take, and a row of scratch for summarizeRows.
 */
function summarySetup(
  env: Environment,
  options: Omit<DecodeOptions, 'start' | 'stop'>,
  option: 'summaryOnly' | 'inChunks',
) {
  if (options.smoother === false)
    throw new ParameterError(
      'smoother',
      `the smoother on with ${option} (it summarises the smoothed posterior)`,
      false,
    );
  const tr = transitionOf(env, options);
  const kernelOptions = { backend: options.backend, chunkBins: options.chunkBins, onProgress: options.onProgress };
  return { tr, kernelOptions, scratch: new Float64Array(tr.nBins) };
}

/** The transition of `options.stateSpace` (a preset with `movementVar`, or a full description). */
function transitionOf(env: Environment, options: Omit<DecodeOptions, 'start' | 'stop'>): Transition {
  const ss = options.stateSpace ?? 'continuous';
  return buildTransition(
    env,
    typeof ss === 'string' ? stateSpacePreset(ss, { movementVar: options.movementVar ?? 6 }) : ss,
  );
}
