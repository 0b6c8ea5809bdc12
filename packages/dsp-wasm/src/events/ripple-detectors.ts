import {
  checkBackend,
  checkChoice,
  checkNumber,
  toMatrix,
  type Backend,
  type FloatArray,
  type Matrix,
  type MatrixInput,
} from '@spyglass-wasm/core';
import { minimumSampleCount, sampleTimes, validBlocks } from './blocks.js';
import { type EnvelopePadding, forEachSmoothedEnvelope, gaussianSmooth, kayConsensusTrace } from './consensus.js';
import {
  type DetectedEvent,
  type EventThresholds,
  type Settings,
  detectOnBlocks,
  eventSettings,
  finishEvents,
  normalize,
  validSamples,
} from './detect-events.js';
import { type Block } from './blocks.js';
import { peakFrequency } from './peak-frequency.js';
import { type SampleRange, mergeRanges, thresholdBlocks } from './threshold.js';

export interface RippleDetectorOptions extends EventThresholds {
  /** Sampling rate of the trace, Hz. */
  fs: number;
  /** Time of every sample, seconds; default startTime + i / fs. */
  time?: ArrayLike<number>;
  startTime?: number;
  /** Gaussian smoothing σ in seconds (default 0.004 for ripples, 0.015 for multiunit). */
  smoothingSigma?: number;
  /** Envelope FFT padding (default 'next_fast_len', as ripple_detection; 'pow2' is faster on long recordings). */
  envelopePadding?: EnvelopePadding;
  /** Where the envelope FFTs run: 'wasm' (default) or 'reference' (plain TypeScript, the same events). */
  backend?: Backend;
}

/** A detector's settings that do not depend on the trace's values, for `rows` samples. */
function detectorSettings(rows: number, name: string, o: RippleDetectorOptions) {
  const settings = timelessSettings(name, o);
  return { ...settings, time: sampleTimes(rows, o) };
}

/** detectorSettings but the sample times. */
export function timelessSettings(name: string, o: RippleDetectorOptions) {
  const fs = checkNumber('fs', o.fs, { min: 0, exclusiveMin: true });
  const sigma = checkNumber('smoothingSigma', o.smoothingSigma ?? (name === 'spikeCounts' ? 0.015 : 0.004), { min: 0 });
  const s = eventSettings(o);
  const padding = checkChoice('envelopePadding', o.envelopePadding ?? 'next_fast_len', [
    'next_fast_len',
    'pow2',
  ] as const);
  const backend = checkBackend(o.backend);
  return { fs, sigma, s, envelope: { fs, sigma, padding, backend } };
}

function setup<T extends FloatArray>(x: MatrixInput<T>, name: string, o: RippleDetectorOptions) {
  const m = toMatrix(x, name) as Matrix;
  const settings = detectorSettings(m.rows, name, o);
  const valid = validSamples(m.rows, o, (r) => finiteRow(m, r));
  return { m, ...settings, valid, blocks: validBlocks(valid, settings.time) };
}

/** Whether row r of m is finite on every channel. */
export function finiteRow(m: Matrix, r: number): boolean {
  for (let c = 0; c < m.cols; c++) if (!Number.isFinite(m.data[r * m.cols + c])) return false;
  return true;
}

/**
 * Kay et al. (2016) ripple detector, as ripple_detection's Kay_ripple_detector (Spyglass's
 * default): on ripple-band LFP (time × channels), √(smooth(Σ envelope²)) with σ 4 ms, z-scored,
 * then the shared event core (z ≥ 2 held 15 ms, extended to the mean, speed ≤ 4 cm/s at both ends).
 * A NaN on any channel or in speed marks a sample missing; missing samples and time gaps split
 * the recording into blocks that are processed separately.
 *
 * @example
 * const band = bandFilter(lfp, { fs: 1000, band: 'ripple' });
 * const events = kayRippleDetector(band, { fs: 1000, time, speed });
 */
export function kayRippleDetector<T extends FloatArray>(
  filtered: MatrixInput<T>,
  options: RippleDetectorOptions,
): DetectedEvent[] {
  const { m, time, s, valid, envelope, blocks } = setup(filtered, 'filtered', options);
  return withPeakFrequency(
    detectOnBlocks(kayConsensusTrace(m, blocks, envelope), time, valid, blocks, s, options),
    m,
    time,
    blocks,
  );
}

/** Each event with its peak frequency from the band-passed LFP (the other fields untouched). */
function withPeakFrequency(
  events: DetectedEvent[],
  band: Matrix,
  time: ArrayLike<number>,
  blocks: readonly Block[],
): DetectedEvent[] {
  for (const e of events) e.peakFrequency = peakFrequency(band, time, blocks, e.peakIndex);
  return events;
}

/**
 * Karlsson and Frank (2009) ripple detector, as ripple_detection's Karlsson_ripple_detector: per
 * channel, the smoothed Hilbert envelope is z-scored and thresholded; the events of all channels
 * are merged where they overlap, then the speed gate and close-event rule apply. Statistics come
 * from the largest z-score across channels at each sample. (ripple_detection's own default
 * threshold for this detector is 3; Spyglass passes its ripple parameters, z 2.)
 */
export function karlssonRippleDetector<T extends FloatArray>(
  filtered: MatrixInput<T>,
  options: RippleDetectorOptions,
): DetectedEvent[] {
  const { m, time, s, valid, envelope, blocks } = setup(filtered, 'filtered', options);
  if (blocks.length === 0) return [];
  const channels = karlssonChannels(time, valid, blocks, s, options);
  forEachSmoothedEnvelope(m, blocks, envelope, (_, env) => channels.add(env));
  return withPeakFrequency(channels.events(), m, time, blocks);
}

/**
 * Karlsson's rule over channels given one at a time (`add`, the channel's smoothed envelope, NaN
 * outside the blocks): each is z-scored and thresholded on its own, the largest z across channels
 * kept for the statistics; `events` merges the channels' candidates and finishes them.
 */
export function karlssonChannels(
  time: ArrayLike<number>,
  valid: Uint8Array,
  blocks: readonly Block[],
  s: Settings,
  options: RippleDetectorOptions,
) {
  const nMin = minimumSampleCount(time, s.minimumDuration);
  const found: SampleRange[] = [];
  const zmax = new Float64Array(valid.length).fill(NaN);
  return {
    add(env: Float64Array): void {
      const z = normalize(env, valid, options);
      for (const range of thresholdBlocks(z, blocks, { minSamples: nMin, threshold: s.threshold })) found.push(range);
      // statistics come from the strongest channel at each sample; a flat channel's NaN z never wins
      for (let r = 0; r < zmax.length; r++)
        if (valid[r] && (z[r] > zmax[r] || (Number.isNaN(zmax[r]) && !Number.isNaN(z[r])))) zmax[r] = z[r];
    },
    events: () => finishEvents(mergeRanges(found), zmax, time, s, options.speed),
  };
}

export interface MultiunitHseOptions extends RippleDetectorOptions {
  /** Take the rate's mean and std only from samples with speed < speedThreshold (default false). */
  useSpeedThresholdForZscore?: boolean;
}

/**
 * Multiunit high-synchrony events, as ripple_detection's multiunit_HSE_detector: the population
 * rate Σ_units counts · fs from spike counts per sample (time × units, or one summed column),
 * smoothed with σ 15 ms within each block, z-scored, then the shared event core.
 *
 * @example
 * const hse = multiunitHseDetector(countsPerMs, { fs: 1000, speed });
 */
export function multiunitHseDetector<T extends FloatArray>(
  spikeCounts: MatrixInput<T>,
  options: MultiunitHseOptions,
): DetectedEvent[] {
  const { m, fs, sigma, time, s, valid, blocks } = setup(spikeCounts, 'spikeCounts', options);
  const rate = new Float64Array(m.rows).fill(NaN);
  for (const [start, stop] of blocks) {
    const total = new Float64Array(stop - start);
    for (let r = start; r < stop; r++) {
      let sum = 0;
      for (let c = 0; c < m.cols; c++) sum += m.data[r * m.cols + c];
      total[r - start] = sum * fs;
    }
    rate.set(gaussianSmooth(total, sigma, fs), start);
  }
  const { speed } = options;
  const opts =
    options.useSpeedThresholdForZscore && speed
      ? {
          ...options,
          normalizationMask: Array.from(
            speed,
            (v, i) => v < s.speedThreshold && (!options.normalizationMask || !!options.normalizationMask[i]),
          ),
        }
      : options;
  return detectOnBlocks(rate, time, valid, blocks, s, opts);
}
