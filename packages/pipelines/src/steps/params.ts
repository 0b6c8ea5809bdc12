import { ParameterError } from '@spyglass-wasm/core';
import type { Step } from '@spyglass-wasm/provenance';
import * as v from 'valibot';

/** One parameter: its valibot schema (type and bounds), what it expects in words, its default when it has one. */
export interface Param {
  schema: v.GenericSchema;
  expected: string;
  default?: unknown;
}

/**
 * A finite number within bounds (inclusive unless `exclusiveMin`), optionally an integer.
 *
 * @example
 * number({ min: 1, max: 200 }, 120); // attenuation, dB, default 120
 */
export function number(
  bounds: { min?: number; max?: number; exclusiveMin?: boolean; integer?: boolean },
  defaultValue?: number,
): Param {
  const { min, max, exclusiveMin = false, integer = false } = bounds;
  const expected = [
    integer ? 'an integer' : 'a finite number',
    min !== undefined ? `${exclusiveMin ? '>' : '>='} ${min}` : '',
    max !== undefined ? `<= ${max}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const actions = [
    v.finite(expected),
    ...(integer ? [v.integer(expected)] : []),
    ...(min === undefined ? [] : [exclusiveMin ? v.gtValue(min, expected) : v.minValue(min, expected)]),
    ...(max === undefined ? [] : [v.maxValue(max, expected)]),
  ];
  return param(v.pipe(v.number(expected), ...(actions as [v.FiniteAction<number, string>])), expected, defaultValue);
}

/** A [low, high] band in Hz, 0 <= low < high (the step checks high against Nyquist once it knows the rate). */
export function band(defaultValue?: [number, number]): Param {
  const expected = '[low, high] Hz with 0 <= low < high';
  const schema = v.pipe(
    v.tuple([v.number(expected), v.number(expected)], expected),
    v.check(([lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi) && lo >= 0 && hi > lo, expected),
  );
  return param(schema, expected, defaultValue);
}

/** One of `choices`. */
export function choice<T extends string>(choices: readonly T[], defaultValue?: T): Param {
  const expected = `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`;
  return param(v.picklist(choices, expected), expected, defaultValue);
}

/** true or false. */
export function flag(defaultValue?: boolean): Param {
  return param(v.boolean('true or false'), 'true or false', defaultValue);
}

/** A non-empty name (a series path, an electrode group). */
export function name(what: string, defaultValue?: string | null): Param {
  const expected = `${what} (a non-empty name)`;
  return param(v.pipe(v.string(expected), v.nonEmpty(expected)), expected, defaultValue);
}

/** An interval of the session: a name (epoch tag, TimeIntervals table, `table/row`) or a list of [start, stop] (s). */
export function interval(defaultValue?: null): Param {
  const expected = 'an interval name or a list of [start, stop] with stop > start (s)';
  const span = v.pipe(
    v.tuple([v.number(expected), v.number(expected)], expected),
    v.check(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && b > a, expected),
  );
  return param(
    v.union(
      [v.pipe(v.string(expected), v.nonEmpty(expected)), v.pipe(v.array(span, expected), v.minLength(1, expected))],
      expected,
    ),
    expected,
    defaultValue,
  );
}

/** A list of values of one schema (e.g. track-graph nodes). */
export function list(item: v.GenericSchema, expected: string, minLength = 1): Param {
  return param(v.pipe(v.array(item, expected), v.minLength(minLength, expected)), expected);
}

/** `p`, or null (its default when `defaultValue` is null). */
export function nullable(p: Param, defaultValue: null = null): Param {
  return { schema: v.nullable(p.schema), expected: `${p.expected}, or null`, default: defaultValue };
}

/** The same parameter with another default. */
export function withDefault(p: Param, defaultValue: unknown): Param {
  return { ...p, default: defaultValue };
}

function param(schema: v.GenericSchema, expected: string, defaultValue?: unknown): Param {
  return defaultValue === undefined ? { schema, expected } : { schema, expected, default: defaultValue };
}

/**
 * A step's parameters from one schema: the allowed names, their types and bounds, the defaults
 * (the 'default' set; other sets lay their values over it) and the optional names (no default).
 * `validate` checks a resolved parameter object against the schema: an unknown name, a missing
 * or wrong value is a one-line ParameterError naming the parameter. Values are never rewritten,
 * so a result key hashes exactly what the user gave.
 *
 * @example
 * const lfp = { ...stepParams('lfp', { attenuation: number({ min: 1, max: 200 }, 120), interval: interval() }) };
 * lfp.paramSets.default;        // { attenuation: 120 }
 * lfp.optionalParams;           // ['interval']
 */
export function stepParams(
  step: string,
  params: Record<string, Param>,
  sets: Record<string, Record<string, unknown>> = {},
): Required<Pick<Step, 'paramSets' | 'optionalParams' | 'validate'>> {
  const defaults = Object.fromEntries(
    Object.entries(params)
      .filter(([, p]) => 'default' in p)
      .map(([k, p]) => [k, p.default]),
  );
  const optional = Object.keys(params).filter((k) => !('default' in params[k]));
  // parameters with a default are present once resolved (the default set carries them); the others may be absent
  const schema = v.strictObject(
    Object.fromEntries(Object.entries(params).map(([k, p]) => [k, 'default' in p ? p.schema : v.optional(p.schema)])),
  );
  const paramSets = {
    default: defaults,
    ...Object.fromEntries(Object.entries(sets).map(([n, s]) => [n, { ...defaults, ...s }])),
  };
  for (const set of Object.values(paramSets)) validate(set);
  function validate(given: Record<string, unknown>): void {
    const r = v.safeParse(schema, given, { abortEarly: true });
    if (r.success) return;
    const issue = r.issues[0];
    const key = String(issue.path?.[0]?.key ?? '');
    if (!(key in params))
      throw new ParameterError(key, `a parameter of ${step} (${Object.keys(params).join(', ')})`, given[key]);
    throw new ParameterError(key, params[key].expected, given[key]);
  }
  return { paramSets, optionalParams: optional, validate };
}
