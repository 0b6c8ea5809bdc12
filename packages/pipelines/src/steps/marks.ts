import { ParameterError } from '@spyglass-wasm/core';
import { codeHash as dspCode, dspKernels } from '@spyglass-wasm/dsp-wasm';
import dspPackage from '@spyglass-wasm/dsp-wasm/package.json';
import type { Step } from '@spyglass-wasm/provenance';
import { codeHash as sortCode } from '@spyglass-wasm/spike-sort';
import sortPackage from '@spyglass-wasm/spike-sort/package.json';
import { analysisNwb } from '../nwb/analysis-file.js';
import { withSession } from '../session/session.js';
import { marksFromNwb } from '../sort/marks-from-nwb.js';
import { band, interval, number, stepParams } from './params.js';
import { stepCode } from './code.js';
import { oneInterval } from './decode.js';

/**
 * Clusterless marks (Spyglass's UnitWaveformFeatures for clusterless decoding): per electrode
 * group, every threshold crossing's amplitude on each channel of the group, no clustering.
 * Stored flat: `times`, `marks` (all groups' rows, each group's channels), `timesIndex` (end of
 * each group's spikes) and per-group channel counts in the JSON.
 */
export const marksStep: Step = {
  name: 'marks',
  description: 'Clusterless marks: spike amplitudes on each channel of each electrode group',
  code: stepCode(sortPackage, [dspKernels], { [sortPackage.name]: sortCode, [dspPackage.name]: dspCode }),
  inputs: ['raw'],
  // threshold in MAD noise units (spike-sort's detector), not Spyglass's fixed 100 µV
  ...stepParams('marks', { threshold: number({ min: 1, max: 100 }, 5), band: band([600, 6000]), interval: interval() }),
  async run({ raw }, params) {
    return withSession(raw, 'raw', async (session) => {
      // an interval: its rows only (one span, as sort)
      const span =
        params.interval == null ? undefined : oneInterval(session.interval(params.interval as string), 'interval');
      const rows = span && session.rowsWithin(session.rawSeries(), span[0], span[1]);
      if (rows && rows[1] <= rows[0])
        throw new ParameterError('interval', `an interval overlapping ${session.rawSeries().path}`, params.interval);
      const groups = await marksFromNwb(session.nwb, {
        threshold: params.threshold as number,
        band: params.band as [number, number],
        rows,
      });
      const total = groups.reduce((a, g) => a + g.times.length, 0);
      const times = new Float64Array(total);
      const marks = new Float32Array(groups.reduce((a, g) => a + g.marks.length, 0));
      const ends = new Int32Array(groups.length);
      let at = 0,
        markAt = 0;
      groups.forEach((g, i) => {
        times.set(g.times, at);
        marks.set(g.marks, markAt);
        at += g.times.length;
        markAt += g.marks.length;
        ends[i] = at;
      });
      return {
        arrays: {
          times: { data: times, shape: [total] },
          marks: { data: marks, shape: [marks.length] },
          timesIndex: { data: ends, shape: [groups.length] },
        },
        json: {
          session: session.info,
          ...(params.interval != null ? { interval: params.interval } : {}),
          groups: groups.map((g) => ({ name: g.group, channels: g.channels, spikes: g.times.length })),
        },
        summary: {
          groups: groups.length,
          spikes: total,
          ...(params.interval != null ? { interval: params.interval } : {}),
        },
      };
    });
  },
  analysisFile: analysisNwb('marks', (d, w) => {
    // One table per electrode group in the ecephys module: a row per detected spike, its time and
    // its peak amplitude on each channel of the group (µV).
    const groups = d.json.groups as { name: string; channels: number; spikes: number }[];
    const times = d.arrays.times.data as Float64Array,
      marks = d.arrays.marks.data as Float32Array;
    let at = 0,
      markAt = 0;
    for (const g of groups) {
      w.addTable({
        name: `marks_${g.name}`,
        module: 'ecephys',
        description: `clusterless marks of electrode group ${g.name}: spike times (s) and peak amplitudes per channel (µV)`,
        columns: {
          spike_time: {
            values: times.subarray(at, at + g.spikes),
            description: 'spike time, s, in the session time base',
          },
          marks: {
            values: { data: marks.slice(markAt, markAt + g.spikes * g.channels), shape: [g.spikes, g.channels] },
            description: 'peak amplitude on each channel of the group, µV',
          },
        },
      });
      at += g.spikes;
      markAt += g.spikes * g.channels;
    }
  }),
};
