import { type DynamicTable, readDynamicTable } from './dynamic-table.js';
import type { H5Reader } from './h5-reader.js';

export const ELECTRODES_PATH = '/general/extracellular_ephys/electrodes';

/** The electrodes table with each row's electrode group resolved to the group's name. */
export interface ElectrodesTable extends DynamicTable {
  /** Electrode group name per row (from `group` references or `group_name`). */
  groupNames: string[];
  /** Location per row ('' when absent). */
  locations: string[];
}

export function readElectrodes(r: H5Reader): ElectrodesTable | undefined {
  if (!r.find(ELECTRODES_PATH)) return undefined;
  const table = readDynamicTable(r, ELECTRODES_PATH);
  const n = table.ids.length;
  const group = table.columns.group?.values;
  const groupName = table.columns.group_name?.values;
  const groupNames =
    Array.isArray(group) && typeof group[0] === 'string'
      ? (group as string[]).map((p) => p.split('/').pop()!)
      : Array.isArray(groupName)
        ? (groupName as string[])
        : Array.from({ length: n }, () => '');
  const loc = table.columns.location?.values;
  return {
    ...table,
    groupNames,
    locations: Array.isArray(loc) ? (loc as string[]) : Array.from({ length: n }, () => ''),
  };
}
