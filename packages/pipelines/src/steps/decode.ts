import { NwbFormatError, ParameterError, type Matrix } from '@spyglass-wasm/core';
import {
  codeHash as decodingCode,
  decodeClusterless,
  decodeSortedSpikes,
  decodingError,
  decodingKernels,
  fitClusterless,
  fitSortedSpikes,
  type DecodeOptions,
  type DecodingError,
  type DecodingResult,
  type DecodingSummary,
  type EncodingInput,
} from '@spyglass-wasm/decoding';
import decodingPackage from '@spyglass-wasm/decoding/package.json';
import type { ResultData, Step, StepInput } from '@spyglass-wasm/provenance';
import { codeHash as sortCode, spikeSortKernels } from '@spyglass-wasm/spike-sort';
import sortPackage from '@spyglass-wasm/spike-sort/package.json';
import { analysisNwb } from '../nwb/analysis-file.js';
import { unitSpikeTimes } from '../nwb/units.js';
import { withSession } from '../session/session.js';
import { positionOf } from './position.js';
import { marksFromNwb } from '../sort/marks-from-nwb.js';
import { stepCode } from './code.js';
import { choice, interval, number, stepParams, type Param } from './params.js';

/** Decoding's parameters (shared by replay): model, bins, state space, place fields. */
export const DECODE_PARAMS: Record<string, Param> = {
  mode: choice(['sorted', 'clusterless'], 'sorted'),
  trainFraction: number({ min: 0.05, max: 0.95 }, 0.8),
  binSize: number({ min: 1e-4, max: 1 }, 0.002),
  stateSpace: choice(['continuous', 'continuous-fragmented'], 'continuous'),
  movementVar: number({ min: 0, max: 1e4, exclusiveMin: true }, 6),
  placeBinSize: number({ min: 0, max: 100, exclusiveMin: true }, 2),
  positionStd: number({ min: 0, max: 100, exclusiveMin: true }, 6),
};
/**
 * Clusterless marks: mark kernel width (µV) and detection threshold (MAD units); no default, so sorted keys do not
 * carry them.
 */
const CLUSTERLESS_PARAMS: Record<string, Param> = {
  waveformStd: number({ min: 0, max: 1000, exclusiveMin: true }),
  markThreshold: number({ min: 1, max: 100 }),
};

/** Spike times per unit from a sort result (flat times + NWB-style end index) or a file's Units table. */
export async function unitsOf(input: StepInput): Promise<Float64Array[]> {
  if (input.kind === 'result') return unitSpikeTimes(input.data);
  return withSession(input, 'units', ({ nwb }) => {
    const units = nwb.units();
    if (!units || units.spikeTimes.length === 0)
      throw new NwbFormatError(input.path, '/units', 'a Units table with spike_times');
    return units.spikeTimes;
  });
}

/**
 * The animal's position in cm from the position step (a `position` result, or the session's raw
 * tracking through the same TrodesPosV1 recipe), columns that never change dropped (a linear
 * track's y), and the step's speed (cm/s).
 */
export async function positionCm(input: StepInput, role: string) {
  const { times, position: all, speed } = await positionOf(input, role);
  const { data, rows, cols } = all;
  const columns: number[] = [];
  for (let c = 0; c < cols && columns.length < 2; c++) {
    let lo = Infinity,
      hi = -Infinity;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + c];
      if (Number.isFinite(v)) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
    }
    if (hi - lo > 1e-6) columns.push(c);
  }
  if (columns.length === 0)
    throw new ParameterError(role, 'a position that changes over the session', 'a constant position');
  const cm = new Float64Array(rows * columns.length);
  for (let i = 0; i < rows; i++) columns.forEach((c, k) => (cm[i * columns.length + k] = data[i * cols + c]));
  return { times, cm: { data: cm, rows, cols: columns.length } as Matrix<Float64Array>, columns, speed };
}

/** A fitted encoding model (sorted spikes or clusterless marks) that decodes any span. */
export interface EncodedModel {
  sources: number;
  decode(options: DecodeOptions): DecodingResult;
  /** The decode's summaries only, never the whole posterior (memory flat but for a float32 row per bin). */
  summary(options: DecodeOptions): DecodingSummary;
}

/**
 * Fits the encoding model of `params.mode` on `encoding`: place fields of sorted units (a sort
 * result or a file's Units), or clusterless marks straight from the raw series of the `units` file.
 */
export async function encodeModel(
  units: StepInput,
  encoding: EncodingInput,
  params: Record<string, unknown>,
): Promise<EncodedModel> {
  if (params.mode === 'clusterless') {
    if (units.kind !== 'file')
      throw new ParameterError('units', 'an NWB file with a raw ElectricalSeries for clusterless marks', units.kind);
    const marks = await withSession(units, 'units', ({ nwb }) =>
      marksFromNwb(nwb, { threshold: params.markThreshold as number }),
    );
    const groups = marks.map((m) => ({
      times: m.times,
      marks: { data: m.marks, rows: m.times.length, cols: m.channels },
    }));
    const model = fitClusterless(encoding, groups, { waveformStd: params.waveformStd as number });
    return {
      sources: groups.length,
      decode: (o) => decodeClusterless(model, groups, o),
      summary: (o) => decodeClusterless(model, groups, { ...o, summaryOnly: true }),
    };
  }
  const spikeTimes = await unitsOf(units);
  const model = fitSortedSpikes(encoding, spikeTimes);
  return {
    sources: spikeTimes.length,
    decode: (o) => decodeSortedSpikes(model, spikeTimes, o),
    summary: (o) => decodeSortedSpikes(model, spikeTimes, { ...o, summaryOnly: true }),
  };
}

/** The single interval decoding encodes or decodes on (the decoder takes one span). */
export function oneInterval(list: readonly (readonly [number, number])[], option: string): readonly [number, number] {
  if (list.length !== 1)
    throw new ParameterError(
      option,
      'one interval (decoding encodes and decodes on one span each)',
      `${list.length} intervals`,
    );
  return list[0];
}

const errorSummary = (e: DecodingError) => ({
  medianRunningCm: e.medianRunning,
  meanRunningCm: e.meanRunning,
  medianCm: e.median,
  meanCm: e.mean,
  nRunning: e.nRunning,
  n: e.n,
});

/**
 * Decoding as Spyglass's SortedSpikesDecodingV1: place fields (KDE, σ `positionStd` cm, bins of
 * `placeBinSize` cm) encoded on the first `trainFraction` of the session, the rest decoded by a
 * state-space model (`stateSpace`, random-walk `movementVar`) over `binSize` s bins with filter
 * and smoother; decoding error (MAP and posterior mean) against the held-out position, the
 * running error where the position step's speed exceeds 4 cm/s.
 * Units come from a sort result or a file's Units table; position from the `session` file.
 */
export const decodeStep: Step = {
  name: 'decode',
  description: 'Sorted-spikes state-space decoding of position, encoded on the first part, decoded on the rest',
  code: stepCode(decodingPackage, [decodingKernels, spikeSortKernels], {
    [decodingPackage.name]: decodingCode,
    [sortPackage.name]: sortCode,
  }),
  inputs: ['units'],
  optionalInputs: ['session', 'position'],
  ...stepParams(
    'decode',
    { ...DECODE_PARAMS, encode: interval(), decode: interval(), ...CLUSTERLESS_PARAMS },
    { clusterless: { mode: 'clusterless', waveformStd: 24, markThreshold: 5 } },
  ),
  async run({ units, session, position: positionInput }, params, ctx) {
    const trainFraction = params.trainFraction as number,
      binSize = params.binSize as number;
    const stateSpace = params.stateSpace as 'continuous' | 'continuous-fragmented';
    const mode = params.mode as 'sorted' | 'clusterless';
    const position = await positionCm(positionInput ?? session ?? units, positionInput ? 'position' : 'session');
    const { sessionInfo, train, test } = await withSession(session ?? units, 'session', (s) => {
      const t0 = position.times[0],
        t1 = position.times[position.times.length - 1];
      // encode on `encode` and decode `decode` (interval names or [[start, stop]]), else split by trainFraction
      const split = t0 + trainFraction * (t1 - t0);
      const train =
        params.encode != null
          ? oneInterval(s.interval(params.encode as string, 'encode'), 'encode')
          : ([t0, split] as const);
      const test =
        params.decode != null
          ? oneInterval(s.interval(params.decode as string, 'decode'), 'decode')
          : params.encode != null
            ? ([t0, t1] as const)
            : ([split, t1] as const);
      return { sessionInfo: s.info, train, test };
    });
    const encoding = {
      position: position.cm,
      positionTimes: position.times,
      interval: [train[0], train[1]] as [number, number],
      environment: { binSize: params.placeBinSize as number },
      positionStd: params.positionStd as number,
    };
    const decodeOptions = {
      start: test[0],
      stop: test[1],
      binSize,
      movementVar: params.movementVar as number,
      stateSpace,
      onProgress: (f: number) => ctx.onProgress?.(0.1 + 0.9 * f),
    };
    const model = await encodeModel(units, encoding, params);
    ctx.onProgress?.(0.1);
    // summaries only: the smoothed posterior is summarised chunk by chunk, never held whole
    const r = model.summary(decodeOptions);
    const nSources = model.sources;
    // running = the position step's speed above 4 cm/s, never speed recomputed from the positions
    const errMap = decodingError(r.time, r.map, position.times, position.cm, { speed: position.speed });
    const errMean = decodingError(r.time, r.mean, position.times, position.cm, { speed: position.speed });
    const n = r.time.length,
      dims = r.env.dims;
    return {
      arrays: {
        time: { data: r.time, shape: [n] },
        map: { data: r.map.data, shape: [n, dims] },
        mean: { data: r.mean.data, shape: [n, dims] },
        positionPosterior: { data: r.positionPosterior.data, shape: [n, r.env.nBins] },
        statePosterior: { data: r.statePosterior.data, shape: [n, r.statePosterior.cols] },
        binCenters: { data: r.env.centers.data, shape: [r.env.nBins, dims] },
        isInterior: { data: Uint8Array.from(r.env.isInterior), shape: [r.env.nBins] },
      },
      json: {
        session: sessionInfo,
        mode,
        units: nSources,
        stateNames: r.stateNames,
        columns: position.columns,
        placeBinSize: r.env.binSize,
        train,
        decode: test,
        logMarginal: r.logMarginal,
        error: { map: errorSummary(errMap), posteriorMean: errorSummary(errMean) },
      },
      summary: {
        mode,
        [mode === 'clusterless' ? 'groups' : 'units']: nSources,
        timeBins: n,
        positionBins: r.env.nBins,
        medianErrorRunningCm: round(errMap.medianRunning),
        meanErrorRunningCm: round(errMap.meanRunning),
      },
    };
  },
  analysisFile: analysisNwb('decode', (d, w) => {
    const [n, dims] = d.arrays.map.shape;
    const time = d.arrays.time.data as Float64Array;
    const columns = (d.json.columns as number[]).join(',');
    const meters = (a: ResultData['arrays'][string]) => ({
      data: Float64Array.from(a.data as Float64Array, (v) => v / 100),
      rows: n,
      cols: dims,
    });
    w.addTimeSeries({
      name: 'decoded_position',
      module: 'decoding',
      container: null,
      data: meters(d.arrays.map),
      unit: 'meters',
      timestamps: time,
      spatial: { referenceFrame: `MAP of the acausal posterior; columns ${columns} of the source position` },
      description: 'Most probable position bin centre per decoding time bin',
    });
    w.addTimeSeries({
      name: 'posterior_mean_position',
      module: 'decoding',
      container: null,
      data: meters(d.arrays.mean),
      unit: 'meters',
      timestamps: time,
      spatial: { referenceFrame: 'posterior mean position' },
      description: 'Posterior-mean position per decoding time bin',
    });
    const [, bins] = d.arrays.positionPosterior.shape;
    w.addTimeSeries({
      name: 'posterior',
      module: 'decoding',
      container: null,
      data: { data: d.arrays.positionPosterior.data as Float32Array, rows: n, cols: bins },
      unit: 'probability',
      timestamps: time,
      description:
        'Acausal posterior over position bins (columns = rows of position_bins), summed over discrete states',
    });
    const states = d.json.stateNames as string[];
    if (states.length > 1) {
      w.addTimeSeries({
        name: 'state_probability',
        module: 'decoding',
        container: null,
        data: { data: d.arrays.statePosterior.data as Float64Array, rows: n, cols: states.length },
        unit: 'probability',
        timestamps: time,
        description: `Probability of each discrete state: ${states.join(', ')}`,
      });
    }
    const centers = d.arrays.binCenters.data as Float64Array;
    const table: Record<string, { description: string; values: ArrayLike<number> }> = {
      is_interior: {
        description: '1 where the animal was seen (decoding puts probability only there)',
        values: Int32Array.from(d.arrays.isInterior.data as Uint8Array),
      },
    };
    ['x', 'y'].slice(0, dims).forEach((axis, k) => {
      table[`center_${axis}`] = {
        description: `bin centre ${axis} (meters)`,
        values: Float64Array.from({ length: bins }, (_, b) => centers[b * dims + k] / 100),
      };
    });
    w.addTable({
      name: 'position_bins',
      module: 'decoding',
      description: `Position bins (${d.json.placeBinSize} cm) of the posterior columns`,
      columns: table,
    });
  }),
};

const round = (x: number): number => Math.round(x * 100) / 100;
