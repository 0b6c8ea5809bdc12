import { median as medianOf } from '@spyglass-wasm/core';
import type { H5Reader } from './h5-reader.js';

/** How a TimeSeries' samples are placed in time. */
export type SeriesTiming =
  | { kind: 'rate'; rate: number; startingTime: number; start: number; end: number }
  | {
      kind: 'timestamps';
      start: number;
      end: number;
      /** Median sampling rate from the timestamps. */
      rate: number;
      /** Steps that deviate from the median step by more than 1% (count). */
      irregularSteps: number;
      /** Index of the first timestamp that is not after the one before it, if any. */
      nonMonotonicAt?: number;
    };

/**
 * Reads starting_time + rate or timestamps. Irregular and non-monotonic timestamps are reported
 * (irregularSteps, nonMonotonicAt), never silently taken as a regular rate.
 */
export function readTiming(r: H5Reader, path: string, rows: number): SeriesTiming {
  if (r.find(`${path}/starting_time`)) {
    const startingTime = r.numbers(`${path}/starting_time`)[0];
    const rate = r.attrNumber(`${path}/starting_time`, 'rate');
    if (!(rate && rate > 0)) r.fail(`${path}/starting_time`, "a positive 'rate' attribute");
    return { kind: 'rate', rate, startingTime, start: startingTime, end: startingTime + (rows - 1) / rate };
  }
  if (!r.find(`${path}/timestamps`)) r.fail(path, 'starting_time with a rate, or timestamps');
  const t = r.numbers(`${path}/timestamps`);
  if (t.length !== rows) r.fail(`${path}/timestamps`, `one timestamp per sample (${rows})`, `${t.length}`);
  let nonMonotonicAt: number | undefined;
  const steps: number[] = [];
  for (let i = 1; i < t.length; i++) {
    const d = t[i] - t[i - 1];
    if (!(d > 0) && nonMonotonicAt === undefined) nonMonotonicAt = i;
    steps.push(d);
  }
  const median = steps.length ? medianOf(steps) : 0;
  const irregularSteps = steps.filter((d) => Math.abs(d - median) > 0.01 * median).length;
  return { kind: 'timestamps', start: t[0] ?? NaN, end: t[t.length - 1] ?? NaN, rate: median > 0 ? 1 / median : NaN, irregularSteps, nonMonotonicAt };
}
