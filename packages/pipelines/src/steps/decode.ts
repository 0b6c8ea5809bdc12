import { NwbFormatError, ParameterError, type Matrix } from '@spyglass-wasm/core';
import {
  codeHash as decodingCode,
  decodeClusterless,
  decodeSortedSpikes,
  decodingError,
  DecodingErrorStats,
  decodingKernels,
  fitClusterless,
  fitSortedSpikes,
  type DecodeOptions,
  type DecodingChunks,
  type DecodingErrorSummary,
  type DecodingResult,
  type EncodingInput,
} from '@spyglass-wasm/decoding';
import decodingPackage from '@spyglass-wasm/decoding/package.json';
import type { NwbWriter, TimeSeriesInput } from '@spyglass-wasm/nwb-io';
import { arrayPieces, type ResultReader, type Step, type StepContext, type StepInput } from '@spyglass-wasm/provenance';
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
  /** The decode's summaries chunk by chunk in time order, never the whole posterior (memory flat in the span). */
  chunks(options: DecodeOptions): DecodingChunks;
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
      chunks: (o) => decodeClusterless(model, groups, { ...o, inChunks: true }),
    };
  }
  const spikeTimes = await unitsOf(units);
  const model = fitSortedSpikes(encoding, spikeTimes);
  return {
    sources: spikeTimes.length,
    decode: (o) => decodeSortedSpikes(model, spikeTimes, o),
    chunks: (o) => decodeSortedSpikes(model, spikeTimes, { ...o, inChunks: true }),
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

const errorSummary = (e: DecodingErrorSummary) => ({
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
    // the summaries chunk by chunk in time order, appended to the result as they come: never whole
    const r = model.chunks(decodeOptions);
    const { arrays, errMap, errMean } = await writeChunks(r, position, ctx);
    const nSources = model.sources;
    const n = r.bins.nTime;
    return {
      arrays: {
        ...arrays,
        binCenters: { data: r.env.centers.data, shape: [r.env.nBins, r.env.dims] },
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
  analysisFile: analysisNwb('decode', async (d, w, stored) => {
    const [, dims] = stored.arrays.map.shape;
    const [, bins] = stored.arrays.positionPosterior.shape;
    const columns = (d.json.columns as number[]).join(',');
    const states = d.json.stateNames as string[];
    // the bin times written once, window by window with the first series; the others link to them
    const timesWith = `/processing/decoding/decoded_position`;
    const series = (name: string, spec: Omit<TimeSeriesInput, 'data' | 'module' | 'container'>) =>
      writeSeries(w, stored, name, { ...spec, module: 'decoding', container: null }, timesWith);
    await series('map', {
      name: 'decoded_position',
      unit: 'meters',
      spatial: { referenceFrame: `MAP of the acausal posterior; columns ${columns} of the source position` },
      description: 'Most probable position bin centre per decoding time bin',
    });
    await series('mean', {
      name: 'posterior_mean_position',
      unit: 'meters',
      spatial: { referenceFrame: 'posterior mean position' },
      description: 'Posterior-mean position per decoding time bin',
    });
    await series('positionPosterior', {
      name: 'posterior',
      unit: 'probability',
      description:
        'Acausal posterior over position bins (columns = rows of position_bins), summed over discrete states',
    });
    if (states.length > 1)
      await series('statePosterior', {
        name: 'state_probability',
        unit: 'probability',
        description: `Probability of each discrete state: ${states.join(', ')}`,
      });
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

/** Bytes of a series written to the analysis NWB file at a time (a whole number of its 1 MiB chunks). */
const NWB_WINDOW_BYTES = 1 << 23;

/**
 * Result array `name` written as a TimeSeries in windows of the stored result, never whole
 * (positions in cm written in meters). Its timestamps are the stored `time`, written in the same
 * windows by the series at `timesWith`, to which any other series links.
 */
async function writeSeries(
  w: NwbWriter,
  stored: ResultReader,
  name: string,
  spec: Omit<TimeSeriesInput, 'data'>,
  timesWith: string,
): Promise<void> {
  const { dtype, shape } = stored.arrays[name];
  const [rows, cols] = shape;
  const step = Math.max(1, Math.floor(NWB_WINDOW_BYTES / (cols * Number(dtype.slice(-1)))));
  const window = async (a: number) => {
    const x = (await stored.read(name, a, Math.min(rows, a + step))) as Float32Array | Float64Array;
    const data = spec.unit === 'meters' ? Float64Array.from(x, (v) => v / 100) : x;
    return { data, rows: x.length / cols, cols };
  };
  const ownTimes = `/processing/${spec.module}/${spec.name}` === timesWith;
  const times = async (a: number) =>
    ownTimes ? ((await stored.read('time', a, Math.min(rows, a + step))) as Float64Array) : undefined;
  const s = w.addTimeSeries({
    ...spec,
    data: await window(0),
    ...(ownTimes ? { timestamps: await times(0), timestampsInWindows: true } : { timestampsOf: timesWith }),
  });
  for (let a = step; a < rows; a += step) s.append(await window(a), await times(a));
}

/**
 * A chunked decode's summaries appended to the result as they come (`arrayPieces`), and its
 * decoding error (MAP and posterior mean) against the held-out position, chunk by chunk.
 */
async function writeChunks(r: DecodingChunks, position: Awaited<ReturnType<typeof positionCm>>, ctx: StepContext) {
  const dims = r.env.dims;
  const out = {
    time: await arrayPieces(ctx, Float64Array, []),
    map: await arrayPieces(ctx, Float64Array, [dims]),
    mean: await arrayPieces(ctx, Float64Array, [dims]),
    positionPosterior: await arrayPieces(ctx, Float32Array, [r.env.nBins]),
    statePosterior: await arrayPieces(ctx, Float64Array, [r.stateNames.length]),
  };
  // exact medians from the errors kept as numbers (8 bytes per bin, 8 more per running bin), not the chunks' arrays
  const errMap = new DecodingErrorStats(r.bins.nTime),
    errMean = new DecodingErrorStats(r.bins.nTime);
  // running = the position step's speed above 4 cm/s, never speed recomputed from the positions
  const options = { speed: position.speed };
  for (const c of r.chunks) {
    await out.time.append(c.time);
    await out.map.append(c.map.data);
    await out.mean.append(c.mean.data);
    await out.positionPosterior.append(c.positionPosterior.data);
    await out.statePosterior.append(c.statePosterior.data);
    errMap.add(decodingError(c.time, c.map, position.times, position.cm, options));
    errMean.add(decodingError(c.time, c.mean, position.times, position.cm, options));
  }
  const arrays = Object.fromEntries(Object.entries(out).map(([k, p]) => [k, p.done()]));
  return { arrays, errMap: errMap.summary(), errMean: errMean.summary() };
}
