import { ParameterError } from '@spyglass-wasm/core';
import type { Step } from './step.js';

/**
 * A step's parameters: a named set of the step's own (`'kay'`, default `'default'`) or a parameter
 * object laid over the step's default set, with explicit overrides on top. Unknown set names are an
 * error naming the step and its sets. `name` is kept only for an unchanged named set.
 *
 * @example
 * resolveParams(ripplesStep, 'karlsson', { zscoreThreshold: 2.5 });
 */
export function resolveParams(step: Pick<Step, 'name' | 'paramSets'>, set: string | Record<string, unknown> = 'default', overrides: Record<string, unknown> = {}): { name?: string; params: Record<string, unknown> } {
  const sets = step.paramSets ?? { default: {} };
  if (typeof set === 'string') {
    const base = sets[set];
    if (!base) throw new ParameterError(`${step.name} parameter set`, `one of ${Object.keys(sets).join(', ')}`, set);
    const changed = Object.keys(overrides).length > 0;
    return { name: changed ? undefined : set, params: { ...base, ...overrides } };
  }
  return { params: { ...(sets.default ?? {}), ...set, ...overrides } };
}
