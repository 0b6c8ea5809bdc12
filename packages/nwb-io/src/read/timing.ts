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

/** Highest sampling rate taken as real (10 MHz): a rate of 1e300 is a corrupt attribute, not a clock. */
const MAX_RATE = 1e7;

/** Timing and what is wrong with it (a non-empty `problem` means sample times cannot be trusted). */
export interface TimingRead {
  timing: SeriesTiming;
  problem?: string;
}

/**
 * Reads starting_time + rate or timestamps. Irregular and non-monotonic timestamps are reported
 * (irregularSteps, nonMonotonicAt), never silently taken as a regular rate; a NaN starting time, a
 * rate that is not in (0, 10 MHz], NaN timestamps or a count that does not match the samples are
 * a `problem` (the listing warns, sample times refuse).
 */
export function readTiming(r: H5Reader, path: string, rows: number): TimingRead {
  if (r.find(`${path}/starting_time`)) {
    const startingTime = r.numbers(`${path}/starting_time`)[0];
    const rateValue = r.attr(`${path}/starting_time`, 'rate');
    const rate = asNumber(rateValue);
    const timing: SeriesTiming = {
      kind: 'rate',
      rate,
      startingTime,
      start: startingTime,
      end: startingTime + (rows - 1) / rate,
    };
    if (!Number.isFinite(startingTime))
      return { timing, problem: `${path}/starting_time: ${startingTime} is not a finite time` };
    if (!(rate > 0 && rate <= MAX_RATE))
      return {
        timing,
        problem: `${path}/starting_time@rate: ${describeValue(rateValue)} is not a sampling rate in (0, ${MAX_RATE}] Hz`,
      };
    return { timing };
  }
  if (!r.find(`${path}/timestamps`)) r.fail(path, 'starting_time with a rate, or timestamps');
  const t = r.numbers(`${path}/timestamps`);
  let nonMonotonicAt: number | undefined;
  let firstNaN = -1;
  const steps: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(t[i]) && firstNaN < 0) firstNaN = i;
    if (i === 0) continue;
    const d = t[i] - t[i - 1];
    if (!(d > 0) && nonMonotonicAt === undefined) nonMonotonicAt = i;
    steps.push(d);
  }
  const median = steps.length ? medianOf(steps) : 0;
  const irregularSteps = steps.filter((d) => Math.abs(d - median) > 0.01 * median).length;
  const timing: SeriesTiming = {
    kind: 'timestamps',
    start: t[0] ?? NaN,
    end: t[t.length - 1] ?? NaN,
    rate: median > 0 ? 1 / median : NaN,
    irregularSteps,
    nonMonotonicAt,
  };
  if (t.length !== rows) return { timing, problem: `${path}/timestamps: ${t.length} timestamps for ${rows} samples` };
  if (firstNaN >= 0)
    return { timing, problem: `${path}/timestamps: ${t[firstNaN]} at index ${firstNaN} is not a finite time` };
  return { timing };
}

/** A value for a message: numbers as numbers, strings quoted, absent as 'missing'. */
export function describeValue(v: unknown): string {
  if (v === undefined || v === null) return 'missing';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 40))}`;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (ArrayBuffer.isView(v) || Array.isArray(v)) return `an array of ${(v as ArrayLike<unknown>).length}`;
  return typeof v;
}

/** A numeric scalar (or one-element numeric array) as a number; anything else (a string) is NaN. */
export function asNumber(v: unknown): number {
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number>).length === 1)
    return Number((v as unknown as ArrayLike<number>)[0]);
  return NaN;
}
