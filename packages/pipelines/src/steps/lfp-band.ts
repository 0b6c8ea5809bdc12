import { concatArrays } from '@spyglass-wasm/core';
import { bandAnalysis } from '@spyglass-wasm/dsp-wasm';
import type { Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { resultData } from '../session/session.js';
import { belowNyquist } from './bounds.js';
import { band, interval, number, stepParams } from './params.js';
import { DSP_CODE } from './code.js';
import { rowRanges, stepIntervals } from './interval.js';

/**
 * A band of the LFP (theta 5–11 Hz by default) with its Hilbert phase and power, as LFPBandV1;
 * only the LFP within `interval` when given (a name needs the `session` file input).
 */
export const lfpBandStep: Step = {
  name: 'lfp-band',
  description: 'LFP band: zero-phase FIR band-pass, Hilbert phase and power',
  code: DSP_CODE,
  inputs: ['lfp'],
  ...stepParams(
    'lfp-band',
    {
      band: band([5, 11]),
      transition: number({ min: 0.1, max: 1000 }, 1),
      attenuation: number({ min: 1, max: 200 }, 60),
      interval: interval(),
    },
    { theta: {}, ripple: { band: [150, 250], transition: 25 } },
  ),
  optionalInputs: ['session'],
  async run({ lfp, session }, params) {
    const d = resultData(lfp, 'lfp');
    const [allRows, cols] = d.arrays.data.shape;
    const fs = d.json.fs as number;
    const options = {
      fs,
      band: belowNyquist(params.band as [number, number], fs),
      transition: params.transition as number,
      attenuation: params.attenuation as number,
    };
    const lfpData = d.arrays.data.data as Float32Array,
      lfpTimes = d.arrays.timestamps.data as Float64Array;
    // an interval: the LFP's rows within it, each span filtered on its own (no filter across a gap)
    // (an LFP computed on the same named interval covers just it: a pipeline run --each-epoch)
    const intervals =
      !session && typeof params.interval === 'string' && params.interval === d.json.interval
        ? undefined
        : await stepIntervals(params.interval, { session });
    const ranges = intervals
      ? rowRanges(lfpTimes, intervals, `the LFP ${lfp.kind === 'result' ? lfp.key : ''}`)
      : [[0, allRows] as [number, number]];
    const parts = ranges.map(([a, b]) =>
      bandAnalysis({ data: lfpData.subarray(a * cols, b * cols), rows: b - a, cols }, options),
    );
    const rows = ranges.reduce((n, [a, b]) => n + b - a, 0);
    const one = parts.length === 1 && rows === allRows;
    const join = <T extends Float32Array | Float64Array>(
      k: 'filtered' | 'phase' | 'power',
      Type: new (n: number) => T,
    ) =>
      concatArrays(
        parts.map((p) => p[k].data as T),
        Type,
      );
    const interval = params.interval != null ? { interval: params.interval } : {};
    return {
      arrays: {
        filtered: { data: join('filtered', Float32Array), shape: [rows, cols] },
        phase: { data: join('phase', Float64Array), shape: [rows, cols] },
        power: { data: join('power', Float64Array), shape: [rows, cols] },
        timestamps: one
          ? d.arrays.timestamps
          : {
              data: concatArrays(
                ranges.map(([a, b]) => lfpTimes.subarray(a, b)),
                Float64Array,
              ),
              shape: [rows],
            },
      },
      json: {
        fs,
        band: params.band,
        ...interval,
        unit: d.json.unit,
        session: d.json.session,
        electrodeGroups: d.json.electrodeGroups,
        electrodeIds: d.json.electrodeIds,
      },
      summary: { samples: rows, channels: cols, band: params.band, ...interval },
    };
  },
  analysisFile: analysisNwb('lfp-band', (d, w) => {
    const groups = d.json.electrodeGroups as string[];
    w.addElectrodes({
      groups: [...new Set(groups)].map((name) => ({ name })),
      group: groups,
      ids: d.json.electrodeIds as number[],
    });
    const [rows, cols] = d.arrays.filtered.shape;
    w.addElectricalSeries({
      name: 'filtered',
      container: 'FilteredEphys',
      data: { data: d.arrays.filtered.data as Float32Array, rows, cols },
      electrodes: groups.map((_, i) => i),
      timestamps: d.arrays.timestamps.data as Float64Array,
      conversion: 1e-6,
      unit: 'volts',
      filtering: `FIR band-pass ${JSON.stringify(d.json.band)} Hz, zero phase`,
    });
    for (const k of ['phase', 'power'] as const) {
      w.addTimeSeries({
        name: k,
        module: 'ecephys',
        data: { data: d.arrays[k].data as Float64Array, rows, cols },
        unit: k === 'phase' ? 'radians' : 'microvolts^2',
        timestamps: d.arrays.timestamps.data as Float64Array,
        description: `Hilbert ${k} of the band`,
      });
    }
  }),
};
