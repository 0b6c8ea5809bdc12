import { NwbFormatError, ParameterError, checkNumber, type Matrix } from '@spyglass-wasm/core';
import { openNwb, NwbWriter, type NwbFile } from '@spyglass-wasm/nwb-io';
import { decodeSortedSpikes, decodingError, fitSortedSpikes, type DecodingResult } from '@spyglass-wasm/decoding';
import type { Command } from '../lib/command.js';
import { printJson, progress } from '../lib/output.js';
import { resolvePath } from './lfp.js';

const TO_CM: Record<string, number> = { meters: 100, meter: 100, m: 100, cm: 1, centimeters: 1 };

/**
 * `spyglass decode FILE --out OUT.nwb`: encode place fields on the first part of the session, decode
 * the rest (state space, 2 ms bins), write `decoded_position` + posterior to an analysis NWB file.
 */
export const decodeCommand: Command = {
  name: 'decode',
  summary: 'Decode position from spikes (encode on the first part of the session, decode the rest)',
  usage: 'spyglass decode FILE --out OUT.nwb [--mode sorted|clusterless] [--train-fraction 0.8] [--units FILE2.nwb] [--bin-size 0.002] [--state-space continuous|continuous-fragmented] [--json]',
  options: {
    json: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    mode: { type: 'string' },
    'train-fraction': { type: 'string' },
    units: { type: 'string' },
    'bin-size': { type: 'string' },
    'state-space': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new ParameterError('FILE', 'one NWB file', positionals.join(' ') || 'nothing');
    const mode = (values.mode as string | undefined) ?? 'sorted';
    if (mode !== 'sorted' && mode !== 'clusterless') throw new ParameterError('--mode', 'sorted or clusterless', mode);
    if (mode === 'clusterless') {
      // Marks come from the raw ElectricalSeries through spike-sort's mark extraction, not wired yet.
      throw new ParameterError('--mode', 'sorted (clusterless marks from raw data are not wired into the CLI yet; use the decoding API with marks)', mode);
    }
    const trainFraction = checkNumber('--train-fraction', Number(values['train-fraction'] ?? 0.8), { min: 0.05, max: 0.95 });
    const binSize = checkNumber('--bin-size', Number(values['bin-size'] ?? 0.002), { min: 1e-4, max: 1 });
    const stateSpace = (values['state-space'] as string | undefined) ?? 'continuous';
    if (stateSpace !== 'continuous' && stateSpace !== 'continuous-fragmented') throw new ParameterError('--state-space', 'continuous or continuous-fragmented', stateSpace);
    const out = values.out as string | undefined;
    if (!out) throw new ParameterError('--out', 'an output NWB path', 'nothing');
    const path = resolvePath(io.cwd, file);
    const report = progress(io, 'decode');

    const nwb = await openNwb(path);
    let position, spikeTimes: Float64Array[], sessionStartTime: string;
    try {
      position = readPositionCm(nwb, path);
      sessionStartTime = nwb.metadata.sessionStartTime;
      spikeTimes = await readUnits(values.units ? resolvePath(io.cwd, values.units as string) : undefined, nwb, path);
    } finally {
      nwb.close();
    }
    const t0 = position.times[0], t1 = position.times[position.times.length - 1];
    const split = t0 + trainFraction * (t1 - t0);
    const model = fitSortedSpikes({ position: position.cm, positionTimes: position.times, interval: [t0, split] }, spikeTimes);
    report(0.1);
    const result = decodeSortedSpikes(model, spikeTimes, { start: split, stop: t1, binSize, stateSpace, onProgress: (f) => report(0.1 + 0.7 * f) });
    const errMean = decodingError(result.time, result.mean, position.times, position.cm);
    const errMap = decodingError(result.time, result.map, position.times, position.cm);
    await writeDecoding(resolvePath(io.cwd, out), result, { sessionStartTime, source: path, mode, columns: position.columns });
    report(1);
    const summary = (e: typeof errMean) => ({ medianRunningCm: e.medianRunning, meanRunningCm: e.meanRunning, medianCm: e.median, meanCm: e.mean, nRunning: e.nRunning, n: e.n });
    const body = {
      file: path, out: resolvePath(io.cwd, out), mode, stateSpace, binSize,
      train: [t0, split], decode: [split, t1], nTime: result.time.length, positionBins: result.env.nBins, dims: result.env.dims,
      units: spikeTimes.length, runningSpeedCmPerS: 4,
      error: { map: summary(errMap), posteriorMean: summary(errMean) },
    };
    if (values.json) printJson(io, body);
    else io.stdout.write(`decoded ${body.nTime} bins: median error while running ${errMap.medianRunning.toFixed(2)} cm (MAP), mean ${errMap.meanRunning.toFixed(2)} cm -> ${body.out}\n`);
    return 0;
  },
};

/** The session's position (first SpatialSeries named like 'position', else the first), in cm, constant columns dropped. */
function readPositionCm(nwb: NwbFile, path: string) {
  const all = nwb.position();
  if (all.length === 0) throw new NwbFormatError(path, '/processing/*/Position', 'a SpatialSeries with the animal position');
  const s = all.find((x) => /position/i.test(x.name)) ?? all[0];
  const scale = TO_CM[s.unit.toLowerCase()];
  if (scale === undefined) throw new NwbFormatError(path, `${s.path}/data`, `unit meters or cm, got '${s.unit}'`);
  const { data, rows, cols } = s.data;
  const columns: number[] = [];
  for (let c = 0; c < cols && columns.length < 2; c++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < rows; i++) { const v = data[i * cols + c]; if (v < lo) lo = v; if (v > hi) hi = v; }
    if ((hi - lo) * scale > 1e-6) columns.push(c);
  }
  if (columns.length === 0) throw new NwbFormatError(path, `${s.path}/data`, 'a position that changes over the session');
  const cm = new Float64Array(rows * columns.length);
  for (let i = 0; i < rows; i++) columns.forEach((c, k) => { cm[i * columns.length + k] = data[i * cols + c] * scale; });
  return { times: s.timestamps, cm: { data: cm, rows, cols: columns.length } as Matrix<Float64Array>, columns, path: s.path };
}

async function readUnits(unitsPath: string | undefined, nwb: NwbFile, path: string): Promise<Float64Array[]> {
  const from = unitsPath ? await openNwb(unitsPath) : nwb;
  try {
    const units = from.units();
    if (!units || units.spikeTimes.length === 0) throw new NwbFormatError(unitsPath ?? path, '/units', 'a Units table with spike_times');
    return units.spikeTimes;
  } finally {
    if (from !== nwb) from.close();
  }
}

/** decoded_position (SpatialSeries, m), posterior (time × bins) and bin centres in processing/decoding. */
async function writeDecoding(out: string, r: DecodingResult, meta: { sessionStartTime: string; source: string; mode: string; columns: number[] }) {
  const w = await NwbWriter.create(out, {
    identifier: `decode-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
    sessionDescription: `Position decoded (${meta.mode} spikes, state-space filter + smoother) from ${meta.source}`,
    sessionStartTime: meta.sessionStartTime,
  });
  try {
    const d = r.env.dims;
    const mapM = Float64Array.from(r.map.data, (v) => v / 100);
    w.addTimeSeries({
      name: 'decoded_position', module: 'decoding', container: null, data: { data: mapM, rows: r.time.length, cols: d }, unit: 'meters',
      timestamps: r.time, spatial: { referenceFrame: `MAP of the acausal posterior; columns ${meta.columns.join(',')} of the source position` },
      description: 'Most probable position bin centre per decoding time bin',
    });
    w.addTimeSeries({
      name: 'posterior_mean_position', module: 'decoding', container: null, data: { data: Float64Array.from(r.mean.data, (v) => v / 100), rows: r.time.length, cols: d },
      unit: 'meters', timestamps: r.time, spatial: { referenceFrame: 'posterior mean position' }, description: 'Posterior-mean position per decoding time bin',
    });
    w.addTimeSeries({
      name: 'posterior', module: 'decoding', container: null, data: { data: Float32Array.from(r.positionPosterior.data), rows: r.time.length, cols: r.env.nBins },
      unit: 'probability', timestamps: r.time, description: 'Acausal posterior over position bins (columns = rows of position_bins), summed over discrete states',
    });
    if (r.stateNames.length > 1) {
      w.addTimeSeries({
        name: 'state_probability', module: 'decoding', container: null, data: r.statePosterior, unit: 'probability', timestamps: r.time,
        description: `Probability of each discrete state: ${r.stateNames.join(', ')}`,
      });
    }
    const centers = r.env.centers.data;
    const columns: Record<string, { description: string; values: ArrayLike<number> }> = {
      is_interior: { description: '1 where the animal was seen (decoding puts probability only there)', values: Int32Array.from(r.env.isInterior) },
    };
    ['x', 'y'].slice(0, d).forEach((axis, k) => {
      columns[`center_${axis}`] = { description: `bin centre ${axis} (meters)`, values: Float64Array.from({ length: r.env.nBins }, (_, b) => centers[b * d + k] / 100) };
    });
    w.addTable({ name: 'position_bins', module: 'decoding', description: `Position bins (${r.env.binSize} cm) of the posterior columns`, columns });
    await w.close();
  } catch (err) {
    await w.abort();
    throw err;
  }
}
