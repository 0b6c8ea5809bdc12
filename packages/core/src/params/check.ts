import { ParameterError } from '../errors/parameter-error.js';

/** Throws ParameterError unless `value` is a finite number within [min, max] (bounds optional). */
export function checkNumber(
  name: string,
  value: unknown,
  opts: { min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean; integer?: boolean } = {},
): number {
  const { min, max, exclusiveMin = false, exclusiveMax = false, integer = false } = opts;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || (exclusiveMin ? value > min : value >= min)) &&
    (max === undefined || (exclusiveMax ? value < max : value <= max));
  if (!ok) {
    const parts = [integer ? 'an integer' : 'a finite number'];
    if (min !== undefined) parts.push(`${exclusiveMin ? '>' : '>='} ${min}`);
    if (max !== undefined) parts.push(`${exclusiveMax ? '<' : '<='} ${max}`);
    throw new ParameterError(name, parts.join(' '), value);
  }
  return value as number;
}

/** Throws ParameterError unless `value` is one of `choices`. */
export function checkChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ParameterError(name, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`, value);
  }
  return value as T;
}
