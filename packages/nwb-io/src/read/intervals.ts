import type { Interval } from '@spyglass-wasm/core';
import { type DynamicTable, readDynamicTable } from './dynamic-table.js';
import type { H5Reader } from './h5-reader.js';

/** A TimeIntervals table (epochs, trials, invalid_times, ripple_times, …). */
export interface TimeIntervalsTable extends DynamicTable {
  name: string;
  intervals: Interval[];
}

const TYPES = new Set(['TimeIntervals']);

/**
 * Every TimeIntervals under /intervals and in processing modules; one that cannot be read is left out and recorded in
 * `r.skipped`.
 */
export function readTimeIntervals(r: H5Reader): TimeIntervalsTable[] {
  const out: TimeIntervalsTable[] = [];
  for (const path of [...r.findTyped('/intervals', TYPES), ...r.findTyped('/processing', TYPES)]) {
    try {
      out.push(r.guard(path, () => readOne(r, path)));
    } catch (err) {
      r.skipped.push({ path, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

function readOne(r: H5Reader, path: string): TimeIntervalsTable {
  const table = readDynamicTable(r, path);
  const start = table.columns.start_time?.values;
  const stop = table.columns.stop_time?.values;
  if (!(start instanceof Float64Array) || !(stop instanceof Float64Array))
    r.fail(path, 'numeric start_time and stop_time columns');
  if (start.length !== stop.length) r.fail(`${path}/stop_time`, `one stop per start (${start.length})`, stop.length);
  return { ...table, name: path.split('/').pop()!, intervals: Array.from(start, (s, i) => [s, stop[i]] as Interval) };
}
