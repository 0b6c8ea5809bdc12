import { ParameterError, checkNumber, toMatrix, type Matrix } from '@spyglass-wasm/core';
import { makeEnvironment, type Environment, type EnvironmentOptions } from '../environment/environment.js';
import { interpolatePosition, kdeAtBins } from '../environment/kde.js';

/** Length units a position may be given in (NWB's spelled-out names too); pixels go through processPosition first. */
export type LengthUnit = 'cm' | 'm' | 'mm' | 'centimeters' | 'meters' | 'metres' | 'millimeters';

const CM_PER: Record<LengthUnit, number> = {
  cm: 1,
  centimeters: 1,
  m: 100,
  meters: 100,
  metres: 100,
  mm: 0.1,
  millimeters: 0.1,
};

/** Encoding inputs shared by sorted and clusterless models. */
export interface EncodingInput {
  /** Position samples (rows × 1 or 2), in `unit`. */
  position: Matrix<Float64Array> | Float64Array;
  /** The unit of `position` (default 'cm'); metres and millimetres are converted to cm, as everything downstream is. */
  unit?: LengthUnit;
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

/** `input.position` as a float matrix in cm, checked (1 or 2 columns), converted from `input.unit`. */
function positionCm(input: EncodingInput): Matrix<Float64Array> {
  const unit = input.unit ?? 'cm';
  if (!Object.hasOwn(CM_PER, unit))
    throw new ParameterError('unit', "'cm', 'm' or 'mm' (pixels: convert with processPosition first)", unit);
  const position = toMatrix(input.position as Float64Array, 'position') as Matrix<Float64Array>;
  const data: unknown = position.data;
  if (!(data instanceof Float64Array || data instanceof Float32Array))
    throw new ParameterError('position', 'float positions (Float64Array or Float32Array data)', data);
  if (position.cols !== 1 && position.cols !== 2)
    throw new ParameterError('position', `rows × 1 or 2 columns (${unit})`, `${position.rows} × ${position.cols}`);
  const scale = CM_PER[unit];
  if (scale === 1 && data instanceof Float64Array) return position;
  const cm = Float64Array.from(data.subarray(0, position.rows * position.cols), (v) => v * scale);
  return { data: cm, rows: position.rows, cols: position.cols };
}

/** A Float64Array of times (s), of `rows` values when given (a typed error naming `name` otherwise). */
export function checkTimeArray(name: string, times: unknown, rows?: number): Float64Array {
  if (!(times instanceof Float64Array)) throw new ParameterError(name, 'a Float64Array of times (s)', times);
  if (rows !== undefined && times.length !== rows)
    throw new ParameterError(name, `${rows} times (one per row)`, `${times.length} times`);
  return times;
}

/** The training positions, their interval and environment. */
export function prepareEncoding(input: EncodingInput) {
  if (typeof input !== 'object' || input === null)
    throw new ParameterError('input', '{ position, positionTimes, interval?, unit? }', input);
  const position = positionCm(input);
  const times = checkTimeArray('positionTimes', input.positionTimes, position.rows);
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
  if (!input.env && env.isInterior.filter(Boolean).length < 3) {
    // a track measured in metres but read as cm fits in one or two 2 cm bins
    throw new ParameterError(
      'position',
      `positions spanning at least 3 bins of ${env.binSize} cm (in metres? pass unit: 'm')`,
      `${env.isInterior.filter(Boolean).length} occupied bin(s)`,
    );
  }
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
  if (!Array.isArray(spikeTimes))
    throw new ParameterError('spikeTimes', 'an array of spike trains (one Float64Array of times per unit)', spikeTimes);
  spikeTimes.forEach((st, u) => checkTimeArray(`spikeTimes[${u}]`, st));
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
