import { raggedRows } from '@spyglass-wasm/core';
import type { ColumnInput, NwbWriter } from '@spyglass-wasm/nwb-io';
import type { ResultData } from '@spyglass-wasm/provenance';

/** What each quality metric column means (SpikeInterface's definitions, as spike-sort computes them). */
const METRIC_DESCRIPTIONS: Record<string, string> = {
  firingRate: 'firing rate (Hz)',
  snr: 'signal-to-noise ratio (template peak / MAD noise)',
  isiViolationsRatio: 'ISI violations ratio (Hill, 1.5 ms)',
  isiViolationsCount: 'ISI violations count (1.5 ms)',
  presenceRatio: 'presence ratio (60 s bins)',
  amplitudeCutoff: 'amplitude cutoff (fraction missed)',
  isolationDistance: 'isolation distance',
  lRatio: 'L-ratio',
  nnHitRate: 'nearest-neighbour hit rate',
  nnMissRate: 'nearest-neighbour miss rate',
  nnNoiseOverlap: 'noise overlap (nearest neighbours among random clips)',
};

/** Spike times per unit of a sort or curate result (flat `spikeTimes` + NWB-style `spikeTimesIndex`). */
export function unitSpikeTimes(d: ResultData): Float64Array[] {
  const values = d.arrays.spikeTimes?.data as Float64Array | undefined;
  if (!values) throw missingArrays(d);
  return raggedRows({ values, ends: unitEnds(d) });
}

/** Where each unit's spikes end in the flat spike arrays (`spikeTimesIndex`). */
function unitEnds(d: ResultData) {
  const ends = d.arrays.spikeTimesIndex?.data;
  if (!ends) throw missingArrays(d);
  return ends;
}

const missingArrays = (d: ResultData) =>
  new TypeError(`a units result has spikeTimes and spikeTimesIndex arrays (has ${Object.keys(d.arrays).join(', ')})`);

/**
 * The one Units writer: a sort (or curate) result's electrode groups and a Units table with
 * spike_times, electrode_group, one column per quality metric, `extra` columns, and waveform_mean
 * (volts) when the result has it.
 */
export function writeUnitsNwb(d: ResultData, w: NwbWriter, extra: Record<string, ColumnInput> = {}): void {
  const groups = d.json.electrodeGroups as string[];
  const locations = (d.json.electrodeLocations as string[]).map((l) => l || 'unknown');
  if (groups.length) {
    w.addElectrodes({
      groups: [...new Set(groups)].map((name) => ({ name, location: locations[groups.indexOf(name)] ?? 'unknown' })),
      group: groups,
      ids: d.json.electrodeIds as number[],
      location: locations,
    });
  }
  const units = d.json.units as { group: string; metrics: Record<string, number> }[];
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  // every channel of the group (units × samples × channels) when the result has it, else the peak channel
  const waveforms = d.arrays.waveformMeanChannels ?? d.arrays.waveformMean;
  const n = waveforms?.shape[0] ?? 0;
  const amplitudes = d.arrays.spikeAmplitudes?.data;
  w.addUnits({
    spikeTimes: unitSpikeTimes(d),
    electrodeGroups: groups.length ? units.map((u) => u.group) : undefined,
    columns: {
      ...Object.fromEntries(
        Object.keys(units[0]?.metrics ?? {}).map((m) => [
          snake(m),
          {
            values: units.map((u) => u.metrics[m] ?? Number.NaN),
            description: METRIC_DESCRIPTIONS[m] ?? `quality metric ${m} (SpikeInterface)`,
          },
        ]),
      ),
      ...(amplitudes
        ? {
            spike_amplitudes: {
              values: raggedRows({ values: Float64Array.from(amplitudes, (v) => v * 1e-6), ends: unitEnds(d) }),
              description:
                "amplitude of each spike (volts, signed) on its unit's peak channel, in the order of spike_times",
            },
          }
        : {}),
      ...extra,
    },
    waveformMean: n
      ? { data: Float32Array.from(waveforms!.data as Float32Array, (v) => v * 1e-6), shape: waveforms!.shape }
      : undefined,
    description: `units sorted from ${d.json.series}`,
  });
}
