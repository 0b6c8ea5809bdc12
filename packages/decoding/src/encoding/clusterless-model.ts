import { ParameterError, checkNumber, toMatrix, type Matrix } from '@spyglass-wasm/core';
import { interpolatePosition, kdeAtBins } from '../environment/kde.js';
import type { Environment } from '../environment/environment.js';
import { checkTimeArray, prepareEncoding, type EncodingInput } from './sorted-model.js';

/** Spikes of one electrode group with their marks (e.g. peak amplitude per channel, µV). */
export interface MarkedSpikes {
  /** Spike times (s), increasing. */
  times: Float64Array;
  /** nSpikes × nFeatures. */
  marks: Matrix<Float64Array> | Matrix<Float32Array>;
}

/** One electrode group's encoding spikes. */
export interface ClusterlessGroupModel {
  /** nEnc × nFeatures (Float64). */
  marks: Matrix<Float64Array>;
  /** nEnc × dims, cm. */
  positions: Matrix<Float64Array>;
  /** Spikes per second during training. */
  meanRate: number;
  /** Ground-process intensity per bin (Hz): meanRate × KDE(spike positions) / occupancy. */
  groundIntensity: Float64Array;
}

export interface ClusterlessModel {
  kind: 'clusterless';
  env: Environment;
  groups: ClusterlessGroupModel[];
  occupancy: Float64Array;
  positionStd: number;
  waveformStd: number;
}

/**
 * Fits the clusterless mark-space KDE model (non_local_detector's clusterless_kde): per electrode
 * group, the encoding spikes' positions and marks, and its ground-process intensity.
 *
 * @example
 * const model = fitClusterless({ position, positionTimes, interval: [0, 720] }, groups, { waveformStd: 24 });
 */
export function fitClusterless(
  input: EncodingInput,
  groups: readonly MarkedSpikes[],
  options: { waveformStd?: number } = {},
): ClusterlessModel {
  const p = prepareEncoding(input);
  const waveformStd = checkNumber('waveformStd', options.waveformStd ?? 24, { min: 1e-9 });
  if (!Array.isArray(groups))
    throw new ParameterError('groups', 'an array of electrode groups ({ times, marks } each)', groups);
  const models = groups.map((g, gi) => {
    if (typeof g !== 'object' || g === null) throw new ParameterError(`groups[${gi}]`, '{ times, marks }', g);
    checkTimeArray(`groups[${gi}].times`, g.times);
    const marks = toMatrix(g.marks, `groups[${gi}].marks`);
    if (marks.rows !== g.times.length)
      throw new ParameterError(`groups[${gi}].marks`, `${g.times.length} rows (one per spike)`, `${marks.rows}`);
    let a = 0,
      b = g.times.length;
    while (a < b && g.times[a] < p.start) a++;
    while (b > a && g.times[b - 1] >= p.stop) b--;
    const positions = interpolatePosition(p.times, p.position, g.times.subarray(a, b));
    const keep: number[] = [];
    const dim = marks.cols;
    const finiteMarks = (row: number) => {
      for (let j = 0; j < dim; j++) if (!Number.isFinite(marks.data[row * dim + j])) return false;
      return true;
    };
    // Keep spikes with a known position and finite marks.
    for (let i = 0; i < positions.rows; i++)
      if (Number.isFinite(positions.data[i * positions.cols]) && finiteMarks(a + i)) keep.push(i);
    const m = new Float64Array(keep.length * dim),
      pos = new Float64Array(keep.length * positions.cols);
    keep.forEach((i, k) => {
      for (let j = 0; j < dim; j++) m[k * dim + j] = marks.data[(a + i) * dim + j];
      for (let j = 0; j < positions.cols; j++) pos[k * positions.cols + j] = positions.data[i * positions.cols + j];
    });
    const posM = { data: pos, rows: keep.length, cols: positions.cols };
    const meanRate = keep.length / p.duration;
    const density = kdeAtBins(p.env, posM, p.positionStd);
    const groundIntensity = new Float64Array(p.env.nBins);
    for (let bin = 0; bin < p.env.nBins; bin++) {
      groundIntensity[bin] =
        p.occupancy[bin] > 0 && p.env.isInterior[bin] ? (meanRate * density[bin]) / p.occupancy[bin] : 0;
    }
    return { marks: { data: m, rows: keep.length, cols: dim }, positions: posM, meanRate, groundIntensity };
  });
  return {
    kind: 'clusterless',
    env: p.env,
    groups: models,
    occupancy: p.occupancy,
    positionStd: p.positionStd,
    waveformStd,
  };
}
