import { bandAnalysis } from '@spyglass-wasm/dsp-wasm';
import type { Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { resultData } from '../session/session.js';
import { checkParam } from './bounds.js';
import { DSP_CODE } from './code.js';

/** A band of the LFP (theta 5–11 Hz by default) with its Hilbert phase and power, as LFPBandV1. */
export const lfpBandStep: Step = {
  name: 'lfp-band',
  description: 'LFP band: zero-phase FIR band-pass, Hilbert phase and power',
  code: DSP_CODE,
  inputs: ['lfp'],
  paramSets: {
    default: { band: [5, 11], transition: 1, attenuation: 60 },
    theta: { band: [5, 11], transition: 1, attenuation: 60 },
    ripple: { band: [150, 250], transition: 25, attenuation: 60 },
  },
  async run({ lfp }, params) {
    const d = resultData(lfp, 'lfp');
    const [rows, cols] = d.arrays.data.shape;
    const fs = d.json.fs as number;
    const b = bandAnalysis({ data: d.arrays.data.data as Float32Array, rows, cols }, {
      fs, band: checkParam.band(params.band, fs), transition: checkParam.transition(params.transition), attenuation: checkParam.attenuation(params.attenuation),
    });
    return {
      arrays: {
        filtered: { data: b.filtered.data, shape: [rows, cols] },
        phase: { data: b.phase.data, shape: [rows, cols] },
        power: { data: b.power.data, shape: [rows, cols] },
        timestamps: d.arrays.timestamps,
      },
      json: { fs, band: params.band, unit: d.json.unit, session: d.json.session, electrodeGroups: d.json.electrodeGroups, electrodeIds: d.json.electrodeIds },
      summary: { samples: rows, channels: cols, band: params.band },
    };
  },
  analysisFile: analysisNwb('lfp-band', (d, w) => {
    const groups = d.json.electrodeGroups as string[];
    w.addElectrodes({ groups: [...new Set(groups)].map((name) => ({ name })), group: groups, ids: d.json.electrodeIds as number[] });
    const [rows, cols] = d.arrays.filtered.shape;
    w.addElectricalSeries({
      name: 'filtered', container: 'FilteredEphys', data: { data: d.arrays.filtered.data as Float32Array, rows, cols }, electrodes: groups.map((_, i) => i),
      timestamps: d.arrays.timestamps.data as Float64Array, conversion: 1e-6, unit: 'volts', filtering: `FIR band-pass ${JSON.stringify(d.json.band)} Hz, zero phase`,
    });
    for (const k of ['phase', 'power'] as const) {
      w.addTimeSeries({ name: k, module: 'ecephys', data: { data: d.arrays[k].data as Float64Array, rows, cols }, unit: k === 'phase' ? 'radians' : 'microvolts^2', timestamps: d.arrays.timestamps.data as Float64Array, description: `Hilbert ${k} of the band` });
    }
  }),
};
