import type { Interval } from '@spyglass-wasm/core';
import { type DynamicTable, readDynamicTable } from './dynamic-table.js';
import type { H5Reader } from './h5-reader.js';

/** A TimeIntervals table (epochs, trials, invalid_times, ripple_times, …). */
export interface TimeIntervalsTable extends DynamicTable {
  name: string;
  intervals: Interval[];
}

const TYPES = new Set(['TimeIntervals']);

/** Every TimeIntervals under /intervals and in processing modules. */
export function readTimeIntervals(r: H5Reader): TimeIntervalsTable[] {
  return [...r.findTyped('/intervals', TYPES), ...r.findTyped('/processing', TYPES)].map((path) => {
    const table = readDynamicTable(r, path);
    const start = table.columns.start_time?.values as Float64Array | undefined;
    const stop = table.columns.stop_time?.values as Float64Array | undefined;
    if (!start || !stop) r.fail(path, 'start_time and stop_time columns');
    return { ...table, name: path.split('/').pop()!, intervals: Array.from(start, (s, i) => [s, stop[i]] as Interval) };
  });
}
