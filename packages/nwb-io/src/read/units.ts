import { type DynamicTable, readDynamicTable } from './dynamic-table.js';
import type { H5Reader } from './h5-reader.js';

/** The Units table: spike times per unit and the other columns. */
export interface UnitsTable extends DynamicTable {
  /** Spike times (s) of each unit. */
  spikeTimes: Float64Array[];
  /** Electrode group name of each unit (from references or strings), when present. */
  electrodeGroups?: string[];
}

export function readUnits(r: H5Reader, path = '/units'): UnitsTable | undefined {
  if (!r.find(path)) return undefined;
  const table = readDynamicTable(r, path);
  const st = table.columns.spike_times;
  if (!st) r.fail(`${path}/spike_times`, 'a spike_times column');
  const spikeTimes = st.ragged
    ? (st.values as Float64Array[])
    : Array.from(st.values as Float64Array, (v) => Float64Array.of(v));
  const eg = table.columns.electrode_group?.values as string[] | undefined;
  return { ...table, spikeTimes, electrodeGroups: eg?.map((p) => p.split('/').pop()!) };
}
