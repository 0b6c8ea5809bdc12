import { NwbWriter, openNwb, type ColumnInput } from '@spyglass-wasm/nwb-io';
import type { FileSorting } from '../sort/sort-nwb.js';

const METRIC_COLUMNS: Record<string, string> = {
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

/**
 * Writes a sorting as an analysis NWB file: the source's session fields and electrode groups, and
 * a Units table with spike_times (source time base), electrode_group, one column per quality
 * metric and waveform_mean (peak channel, volts). Written under a temporary name and renamed.
 */
export async function writeSortingNwb(out: string | null, sorting: FileSorting, sourcePath: string, provenance?: unknown): Promise<Uint8Array | string> {
  const src = await openNwb(sourcePath);
  const e = src.electrodes();
  const w = await NwbWriter.create(out, {
    identifier: `${src.metadata.identifier}-sort`,
    sessionDescription: `spike sorting of ${src.metadata.sessionDescription}`,
    sessionStartTime: src.metadata.sessionStartTime,
    timestampsReferenceTime: src.metadata.timestampsReferenceTime,
  });
  try {
    if (e) {
      const names = [...new Set(e.groupNames)];
      w.addElectrodes({
        groups: names.map((name) => ({ name, location: e.locations[e.groupNames.indexOf(name)] || 'unknown' })),
        ids: e.ids,
        group: e.groupNames,
        location: e.locations.map((l) => l || 'unknown'),
      });
    }
    const units = sorting.units;
    const columns: Record<string, ColumnInput> = {};
    for (const [key, description] of Object.entries(METRIC_COLUMNS)) {
      columns[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = { values: units.map((u) => u.metrics[key as keyof typeof u.metrics]), description };
    }
    const len = units[0]?.waveform.length ?? 0;
    const waveform = new Float32Array(units.length * len);
    units.forEach((u, i) => waveform.set(u.waveform.map((v) => v * 1e-6), i * len));
    w.addUnits({
      spikeTimes: units.map((u) => u.spikeTimes),
      electrodeGroups: e ? units.map((u) => u.group) : undefined,
      columns,
      waveformMean: units.length ? { data: waveform, shape: [units.length, len] } : undefined,
      description: `units sorted from ${sorting.series}`,
    });
    if (provenance !== undefined) w.setProvenance(provenance);
    return await w.close();
  } catch (err) {
    await w.abort();
    throw err;
  } finally {
    src.close();
  }
}
