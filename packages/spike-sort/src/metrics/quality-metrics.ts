import type { GroupSorting } from '../sort/sort-group.js';
import { isolationMetrics, nearestNeighbourRates } from './cluster-metrics.js';
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

/** Every metric for every unit of a group sorting (fs in Hz; duration of the data in seconds). */
export function qualityMetrics(sorting: GroupSorting, fs: number, duration: number): QualityMetrics[] {
  return sorting.units.map((u, unit) => {
    const times = Float64Array.from(u.samples, (s) => s / fs);
    const amplitudes: number[] = [];
    sorting.labels.forEach((l, i) => l === unit && amplitudes.push(sorting.peaks[i].z * sorting.noise[sorting.peaks[i].channel]));
    const isi = isiViolations(times, duration);
    const iso = isolationMetrics(sorting.features, sorting.components, sorting.labels, unit);
    const nn = nearestNeighbourRates(sorting.features, sorting.components, sorting.labels, unit);
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
      nnNoiseOverlap: sorting.noiseOverlaps?.[unit] ?? NaN,
    };
  });
}
