import { checkNumber, checkOptionNames } from '@spyglass-wasm/core';
import type { GroupSorting } from '../sort/sort-group.js';
import { isolationMetrics, nearestNeighbourRates } from './cluster-metrics.js';
import { noiseOverlap, type NoiseOverlapOptions } from './noise-overlap.js';
import { amplitudeCutoff, firingRate, isiViolations, presenceRatio } from './spike-train-metrics.js';

/** SpikeInterface's quality metrics of one unit. */
export interface QualityMetrics {
  numSpikes: number;
  firingRate: number;
  snr: number;
  isiViolationsCount: number;
  isiViolationsRatio: number;
  presenceRatio: number;
  amplitudeCutoff: number;
  isolationDistance: number;
  lRatio: number;
  nnHitRate: number;
  nnMissRate: number;
  /** Noise overlap (nn_noise_overlap): 0 apart from noise, about 0.5 for a unit made of noise. */
  nnNoiseOverlap: number;
}

/**
 * Noise clips and unit waveforms for `qualityMetrics` to compute noise overlap from, instead of
 * taking the sorting's own `noiseOverlaps` (e.g. clips from `sampleNoiseClips`, away from peaks).
 */
export interface NoiseOverlapInput {
  /** Clips of the recording at random times, count × snippetLength × channels (`sampleNoiseClips`). */
  noiseClips?: Float32Array;
  /** Per unit, in the sorting's unit order: its waveforms, n × snippetLength × channels. */
  waveforms?: readonly (Float32Array | undefined)[];
  /** Passed on to `noiseOverlap` (length and channels default to the sorting's snippetLength and channels). */
  options?: Partial<NoiseOverlapOptions>;
}

export interface QualityMetricOptions {
  /** Sampling rate of the sorted data, Hz. */
  fs: number;
  /** Duration of the sorted data, seconds. */
  duration: number;
  /** Clips and waveforms to compute noise overlap from, instead of the sorting's own. */
  noise?: NoiseOverlapInput;
}

/**
 * Every metric for every unit of a group sorting. `nnNoiseOverlap` is computed from
 * `noise.noiseClips` and the unit's `noise.waveforms` when both are given, else it is the
 * sorting's `noiseOverlaps` (NaN when it has none).
 *
 * @example
 * const metrics = qualityMetrics(sorting, { fs: 30000, duration: 600 });
 */
export function qualityMetrics(sorting: GroupSorting, options: QualityMetricOptions): QualityMetrics[] {
  checkOptionNames('qualityMetrics', options, ['fs', 'duration', 'noise']);
  const fs = checkNumber('fs', options?.fs, { min: 0, exclusiveMin: true });
  const duration = checkNumber('duration', options.duration, { min: 0, exclusiveMin: true });
  const { noise } = options;
  const features = { data: sorting.features, rows: sorting.labels.length, cols: sorting.components };
  const amplitudesOf = unitAmplitudes(sorting);
  return sorting.units.map((u, unit) => {
    const times = Float64Array.from(u.samples, (s) => s / fs);
    const amplitudes = amplitudesOf[unit];
    const isi = isiViolations(times, duration);
    const iso = isolationMetrics(features, sorting.labels, unit);
    const nn = nearestNeighbourRates(features, sorting.labels, unit);
    return {
      numSpikes: times.length,
      firingRate: firingRate(times, duration),
      snr: u.snr,
      isiViolationsCount: isi.count,
      isiViolationsRatio: isi.ratio,
      presenceRatio: presenceRatio(times, 0, duration),
      amplitudeCutoff: amplitudeCutoff(amplitudes),
      isolationDistance: iso.isolationDistance,
      lRatio: iso.lRatio,
      nnHitRate: nn.hitRate,
      nnMissRate: nn.missRate,
      nnNoiseOverlap: overlapOf(sorting, unit, noise),
    };
  });
}

/**
 * Each unit's spike amplitudes (µV, signed: the filtered signal at the spike's peak on the channel
 * where the unit's template was largest when matched), in the order of its spike times
 * (`units[u].samples`): what amplitude cutoff, amplitude-over-time plots and amplitude splits read.
 *
 * @example
 * const amps = unitAmplitudes(sortGroup(x, { fs: 30000 }));
 * amps[0].length; // spikes of unit 0
 */
export function unitAmplitudes(sorting: GroupSorting): Float64Array[] {
  const out = sorting.units.map((u) => new Float64Array(u.samples.length));
  const at = new Int32Array(sorting.units.length);
  sorting.labels.forEach((l, i) => {
    if (l < 0) return;
    const p = sorting.peaks[i];
    out[l][at[l]++] = p.z * sorting.noise[p.channel];
  });
  return out;
}

function overlapOf(sorting: GroupSorting, unit: number, noise: NoiseOverlapInput | undefined): number {
  const clips = noise?.noiseClips,
    waveforms = noise?.waveforms?.[unit];
  if (clips && waveforms)
    return noiseOverlap(waveforms, clips, {
      length: sorting.snippetLength,
      channels: sorting.channels,
      ...noise.options,
    });
  return sorting.noiseOverlaps?.[unit] ?? NaN;
}
