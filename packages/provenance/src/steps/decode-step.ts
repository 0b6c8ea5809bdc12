import { ParameterError } from '@spyglass-wasm/core';
import { decodeSortedSpikes, decodingError, decodingKernels, fitSortedSpikes } from '@spyglass-wasm/decoding';
import decodingPackage from '@spyglass-wasm/decoding/package.json';
import type { ResultData, Step, StepInput } from '../step.js';
import { sessionOf, withNwb } from './session-io.js';

/** Spike times per unit from a sort result (flat times + NWB-style end index) or a file's Units table. */
async function unitsOf(input: StepInput): Promise<Float64Array[]> {
  if (input.kind === 'result') return raggedUnits(input.data);
  return withNwb(input, 'units', (nwb) => {
    const units = nwb.units();
    if (!units) throw new ParameterError('units', `a Units table in ${nwb.name}`, 'none');
    return units.spikeTimes;
  });
}

/** Splits a result's `spikeTimes` by its `spikeTimesIndex` (end of each unit, as NWB's VectorIndex). */
export function raggedUnits(d: ResultData): Float64Array[] {
  const times = d.arrays.spikeTimes?.data as Float64Array | undefined;
  const ends = d.arrays.spikeTimesIndex?.data;
  if (!times || !ends) throw new ParameterError('units', 'a result with spikeTimes and spikeTimesIndex arrays', Object.keys(d.arrays).join(', '));
  return Array.from(ends, (end, u) => times.subarray(u ? ends[u - 1] : 0, end));
}

/**
 * Decoding as Spyglass's SortedSpikesDecodingV1: place fields of the units on the animal's
 * position (KDE, σ `positionStd` cm, bins of `placeBinSize` cm), then a state-space decoder
 * (random walk, `movementVar`) over `binSize` s bins, filter + smoother. Position comes from the
 * `session` file (or the units file), its first `positionColumns`, converted to cm.
 */
export const decodeStep: Step = {
  name: 'decode',
  description: 'Sorted-spikes state-space decoding of position (place fields, random walk, smoother)',
  code: { package: decodingPackage.name, packageVersion: decodingPackage.version, kernels: [decodingKernels] },
  inputs: ['units'],
  optionalInputs: ['session'],
  async run({ units, session }, params, ctx) {
    const spikeTimes = await unitsOf(units);
    const posFile = session ?? units;
    const { position, times, sessionInfo } = await withNwb(posFile, 'session', (nwb) => {
      const [pos] = nwb.position();
      if (!pos) throw new ParameterError('session', `position (a SpatialSeries) in ${nwb.name}`, 'none');
      const cols = (params.positionColumns as number[]) ?? [0];
      const toCm = /^m(eters?)?$/i.test(pos.unit) ? 100 : 1;
      const p = new Float64Array(pos.data.rows * cols.length);
      for (let r = 0; r < pos.data.rows; r++) cols.forEach((c, j) => (p[r * cols.length + j] = pos.data.data[r * pos.data.cols + c] * toCm));
      return { position: { data: p, rows: pos.data.rows, cols: cols.length }, times: pos.timestamps, sessionInfo: sessionOf(nwb) };
    });
    const start = times[0], stop = times[times.length - 1];
    const model = fitSortedSpikes({ position, positionTimes: times, environment: { binSize: params.placeBinSize as number }, positionStd: params.positionStd as number }, spikeTimes);
    const r = decodeSortedSpikes(model, spikeTimes, {
      start, stop, binSize: params.binSize as number, movementVar: params.movementVar as number,
      stateSpace: params.stateSpace as 'continuous', onProgress: ctx.onProgress,
    });
    const err = decodingError(r.time, r.mean, times, position);
    const n = r.time.length, dims = r.mean.cols;
    return {
      arrays: {
        time: { data: r.time, shape: [n] },
        mean: { data: r.mean.data, shape: [n, dims] },
        map: { data: r.map.data, shape: [n, dims] },
        positionPosterior: { data: Float32Array.from(r.positionPosterior.data), shape: [n, r.positionPosterior.cols] },
        binCenters: { data: r.env.centers.data, shape: [r.env.nBins, dims] },
      },
      json: { session: sessionInfo, units: spikeTimes.length, logMarginal: r.logMarginal, medianErrorCm: err.median, medianErrorRunningCm: err.medianRunning },
      summary: { units: spikeTimes.length, timeBins: n, positionBins: r.env.nBins, medianErrorCm: round(err.median), medianErrorRunningCm: round(err.medianRunning) },
    };
  },
  writeNwb(d, w) {
    const [n, dims] = d.arrays.mean.shape;
    const time = d.arrays.time.data as Float64Array;
    w.addTimeSeries({ name: 'decoded_position', module: 'decoding', container: 'Position', unit: 'cm', timestamps: time, data: { data: d.arrays.mean.data as Float64Array, rows: n, cols: dims }, spatial: { referenceFrame: 'session position, first columns' }, description: 'posterior mean position' });
    const [, bins] = d.arrays.positionPosterior.shape;
    w.addTimeSeries({ name: 'position_posterior', module: 'decoding', unit: 'probability', timestamps: time, data: { data: d.arrays.positionPosterior.data as Float32Array, rows: n, cols: bins }, description: 'posterior probability of each position bin (bin centres in decoding/bin_centers)' });
  },
};

const round = (x: number): number => Math.round(x * 100) / 100;
