import { ParameterError, checkNumber, toMatrix, type Matrix } from '@spyglass-wasm/core';
import { makeEnvironment, type Environment, type EnvironmentOptions } from '../environment/environment.js';
import { interpolatePosition, kdeAtBins } from '../environment/kde.js';

/** Encoding inputs shared by sorted and clusterless models. */
export interface EncodingInput {
  /** Position samples (rows × 1 or 2), cm. */
  position: Matrix<Float64Array> | Float64Array;
  /** Times of the position samples (s), increasing. */
  positionTimes: Float64Array;
  /** Only spikes and positions in [start, stop) train the model (default: the whole position span). */
  interval?: [number, number];
  /** Bins to use; default made from the training positions with `environment` options. */
  env?: Environment;
  environment?: EnvironmentOptions;
  /** Gaussian kernel width in position (cm), default 6. */
  positionStd?: number;
}

/** Place fields of sorted units: firing rate (Hz) per unit × position bin. */
export interface SortedSpikesModel {
  kind: 'sorted';
  env: Environment;
  /** units × bins, Hz (floored at 1e-10 Hz). */
  rates: Float64Array;
  nUnits: number;
  /** Occupancy density per bin (KDE of the training positions). */
  occupancy: Float64Array;
  positionStd: number;
}

/** The training positions, their interval and environment. */
export function prepareEncoding(input: EncodingInput) {
  const position = toMatrix(input.position as Float64Array, 'position') as Matrix<Float64Array>;
  const times = input.positionTimes;
  if (times.length !== position.rows)
    throw new ParameterError('positionTimes', `${position.rows} times (one per position row)`, `${times.length}`);
  const [start, stop] = input.interval ?? [times[0], times[times.length - 1] + 1e-9];
  let i0 = 0,
    i1 = times.length;
  while (i0 < i1 && times[i0] < start) i0++;
  while (i1 > i0 && times[i1 - 1] >= stop) i1--;
  if (i1 - i0 < 2) throw new ParameterError('interval', 'an interval holding position samples', `[${start}, ${stop})`);
  const train: Matrix<Float64Array> = {
    data: position.data.subarray(i0 * position.cols, i1 * position.cols),
    rows: i1 - i0,
    cols: position.cols,
  };
  const env = input.env ?? makeEnvironment(train, input.environment);
  const positionStd = checkNumber('positionStd', input.positionStd ?? 6, { min: 1e-6 });
  const occupancy = kdeAtBins(env, train, positionStd);
  return { position, times, start, stop, duration: stop - start, env, positionStd, occupancy };
}

/** Spikes of one train inside [start, stop). */
function spikesIn(times: Float64Array, start: number, stop: number): Float64Array {
  let a = 0,
    b = times.length;
  while (a < b && times[a] < start) a++;
  while (b > a && times[b - 1] >= stop) b--;
  return times.subarray(a, b);
}

/**
 * Fits place fields by Gaussian KDE (replay_trajectory_classification's sorted-spikes KDE): for
 * each unit, rate(x) = (spikes / duration) × KDE(spike positions)(x) / KDE(occupied positions)(x).
 *
 * @example
 * const model = fitSortedSpikes({ position: xCm, positionTimes: t, interval: [0, 600] }, units.spikeTimes);
 */
export function fitSortedSpikes(input: EncodingInput, spikeTimes: readonly Float64Array[]): SortedSpikesModel {
  const p = prepareEncoding(input);
  const rates = new Float64Array(spikeTimes.length * p.env.nBins);
  spikeTimes.forEach((all, u) => {
    const st = spikesIn(all, p.start, p.stop);
    const spikePos = interpolatePosition(p.times, p.position, st);
    const density = kdeAtBins(p.env, spikePos, p.positionStd);
    const meanRate = st.length / p.duration;
    for (let b = 0; b < p.env.nBins; b++) {
      const r = p.occupancy[b] > 0 && p.env.isInterior[b] ? (meanRate * density[b]) / p.occupancy[b] : 0;
      rates[u * p.env.nBins + b] = Math.max(r, 1e-10);
    }
  });
  return {
    kind: 'sorted',
    env: p.env,
    rates,
    nUnits: spikeTimes.length,
    occupancy: p.occupancy,
    positionStd: p.positionStd,
  };
}
