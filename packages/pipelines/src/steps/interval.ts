import { ParameterError, searchSorted, type Interval } from '@spyglass-wasm/core';
import type { StepInput } from '@spyglass-wasm/provenance';
import { intervalList, withSession } from '../session/session.js';

/**
 * The intervals of a step's `interval` parameter (undefined: the whole session). A name (epoch
 * tag, TimeIntervals table, `table/row`) is looked up in the `session` file; a list of
 * [start, stop] needs no file. Steps whose inputs are results (lfp-band) take the session as an
 * optional input for names.
 *
 * @example
 * await stepIntervals('run1', { session });   // [[60, 180]]
 * await stepIntervals([[5, 10]], {});        // [[5, 10]]
 */
export async function stepIntervals(spec: unknown, inputs: { session?: StepInput }): Promise<Interval[] | undefined> {
  if (spec == null) return undefined;
  if (typeof spec !== 'string') return intervalList(spec);
  if (!inputs.session || inputs.session.kind !== 'file')
    throw new ParameterError(
      'interval',
      'a session file input to look the name up in, or a list of [start, stop] (s)',
      spec,
    );
  return withSession(inputs.session, 'session', (s) => s.interval(spec));
}

/**
 * Row ranges [first, end) of sorted sample `times` within each interval ([start, stop)), empty
 * ranges left out; an interval covering no sample is an error naming what `times` span.
 */
export function rowRanges(times: ArrayLike<number>, intervals: readonly Interval[], what: string): [number, number][] {
  const ranges = intervals
    .map(([a, b]) => [searchSorted(times, a), searchSorted(times, b)] as [number, number])
    .filter(([a, b]) => b > a);
  if (ranges.length === 0)
    throw new ParameterError(
      'interval',
      `an interval overlapping ${what} (${times[0]}–${times[times.length - 1]} s)`,
      intervals.map((i) => `[${i.join(', ')}]`).join(' '),
    );
  return ranges;
}
