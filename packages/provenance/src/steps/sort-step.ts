import { dspKernels } from '@spyglass-wasm/dsp-wasm';
import { flattenSpikeTimes, sortNwb } from '@spyglass-wasm/spike-sort';
import sortPackage from '@spyglass-wasm/spike-sort/package.json';
import type { ColumnInput, NwbWriter } from '@spyglass-wasm/nwb-io';
import type { ResultData, Step } from '../step.js';
import { sessionOf, withNwb } from './session-io.js';
import { codeHash as sortCode, spikeSortKernels } from '@spyglass-wasm/spike-sort';
import { codeHash as dspCode } from '@spyglass-wasm/dsp-wasm';
import dspPackage from '@spyglass-wasm/dsp-wasm/package.json';
import { stepCode } from './code.js';

/**
 * Spike sorting as Spyglass's SpikeSortingV1 with its defaults for tetrodes: each electrode
 * group on its own, 600–6000 Hz, threshold detection, clustering, quality metrics
 * (@spyglass-wasm/spike-sort's `sortNwb`). Spike times are in the session's time base, stored as
 * `spikeTimes` + `spikeTimesIndex` (NWB's ragged layout) for `decode`.
 */
export const sortStep: Step = {
  name: 'sort',
  description: 'Spike sorting per electrode group (band-pass, detection, clustering, quality metrics)',
  code: stepCode(sortPackage, [dspKernels, spikeSortKernels], { [sortPackage.name]: sortCode, [dspPackage.name]: dspCode }),
  inputs: ['raw'],
  async run({ raw }, params, ctx) {
    return withNwb(raw, 'raw', async (nwb) => {
      const sorting = await sortNwb(nwb, {
        group: (params.group as string | null) ?? undefined, series: (params.series as string | null) ?? undefined,
        band: params.band as [number, number], threshold: params.threshold as number, onProgress: (f) => ctx.onProgress?.(f),
      });
      const { spikeTimes, spikeTimesIndex } = flattenSpikeTimes(sorting.units);
      const electrodes = nwb.electrodes();
      const len = sorting.units[0]?.waveform.length ?? 0;
      const waveforms = new Float32Array(sorting.units.length * len);
      sorting.units.forEach((u, i) => waveforms.set(u.waveform, i * len));
      return {
        arrays: {
          spikeTimes: { data: spikeTimes, shape: [spikeTimes.length] },
          spikeTimesIndex: { data: spikeTimesIndex, shape: [spikeTimesIndex.length] },
          waveformMean: { data: waveforms, shape: [sorting.units.length, len] },
        },
        json: {
          session: sessionOf(nwb), series: sorting.series, fs: sorting.fs,
          electrodeGroups: electrodes?.groupNames ?? [], electrodeIds: electrodes ? Array.from(electrodes.ids) : [],
          electrodeLocations: electrodes?.locations ?? [],
          groups: sorting.groups.map((g) => ({ name: g.name, channels: g.channels, detections: g.sorting.peaks.length, units: g.sorting.units.length })),
          units: sorting.units.map((u) => ({ group: u.group, peakChannel: u.peakChannel, metrics: u.metrics })),
        },
        summary: { units: sorting.units.length, spikes: spikeTimes.length, groups: sorting.groups.length },
      };
    });
  },
  writeNwb(d, w) {
    writeUnitsNwb(d, w);
  },
};

/**
 * Writes a sort (or curate) result's units into an analysis file: the electrode groups, and a Units
 * table with spike_times, electrode_group, one column per quality metric, `extra` columns and
 * waveform_mean (volts) when the result has it.
 */
export function writeUnitsNwb(d: ResultData, w: NwbWriter, extra: Record<string, ColumnInput> = {}): void {
  const groups = d.json.electrodeGroups as string[];
  const locations = (d.json.electrodeLocations as string[]).map((l) => l || 'unknown');
  if (groups.length) {
    w.addElectrodes({
      groups: [...new Set(groups)].map((name) => ({ name, location: locations[groups.indexOf(name)] ?? 'unknown' })),
      group: groups, ids: d.json.electrodeIds as number[], location: locations,
    });
  }
  const units = d.json.units as { group: string; metrics: Record<string, number> }[];
  const ends = d.arrays.spikeTimesIndex.data;
  const all = d.arrays.spikeTimes.data as Float64Array;
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const waveforms = d.arrays.waveformMean;
  const [n, len] = waveforms?.shape ?? [0, 0];
  w.addUnits({
    spikeTimes: Array.from(ends, (end, u) => all.subarray(u ? ends[u - 1] : 0, end)),
    electrodeGroups: groups.length ? units.map((u) => u.group) : undefined,
    columns: {
      ...Object.fromEntries(Object.keys(units[0]?.metrics ?? {}).map((m) => [snake(m), { values: units.map((u) => u.metrics[m]), description: `quality metric ${m} (SpikeInterface)` }])),
      ...extra,
    },
    waveformMean: n ? { data: Float32Array.from(waveforms.data as Float32Array, (v) => v * 1e-6), shape: [n, len] } : undefined,
    description: `units sorted from ${d.json.series}`,
  });
}
