import { StagedProgress, type Matrix, type ProgressCallback } from '@spyglass-wasm/core';
import type { Environment } from './environment/environment.js';
import type { SortedSpikesModel } from './encoding/sorted-model.js';
import type { ClusterlessModel, MarkedSpikes } from './encoding/clusterless-model.js';
import { sortedSpikesLikelihood } from './likelihood/sorted.js';
import { clusterlessLikelihood } from './likelihood/clusterless.js';
import { binCenters, makeTimeBins, type TimeBins } from './likelihood/time-bins.js';
import {
  buildTransition,
  stateSpacePreset,
  type StateSpaceOptions,
  type Transition,
} from './state-space/transition.js';
import { checkChunkBins, filterSmooth } from './state-space/filter.js';
import { summarizePosterior, type PosteriorSummary } from './results/summarize.js';

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
  options: DecodeOptions,
): DecodingResult {
  checkChunkBins(options.chunkBins);
  const bins = makeTimeBins(options.start, options.stop, { binSize: options.binSize });
  const progress = new StagedProgress(options.onProgress, { likelihood: 1, stateSpace: 4 });
  const ll = sortedSpikesLikelihood(model, spikeTimes, bins, { backend: options.backend });
  progress.stage('likelihood')(1);
  return runStateSpace(model.env, ll, bins, { ...options, onProgress: progress.stage('stateSpace') });
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
  options: DecodeOptions,
): DecodingResult {
  checkChunkBins(options.chunkBins);
  const bins = makeTimeBins(options.start, options.stop, { binSize: options.binSize });
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
  const ss = options.stateSpace ?? 'continuous';
  const tr: Transition = buildTransition(
    env,
    typeof ss === 'string' ? stateSpacePreset(ss, { movementVar: options.movementVar ?? 6 }) : ss,
  );
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
