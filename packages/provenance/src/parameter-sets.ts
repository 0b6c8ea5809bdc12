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
export function resolveParams(
  step: Pick<Step, 'name' | 'paramSets' | 'optionalParams'>,
  set: string | Record<string, unknown> = 'default',
  overrides: Record<string, unknown> = {},
): { name?: string; params: Record<string, unknown> } {
  const sets = step.paramSets ?? { default: {} };
  if (typeof set === 'string') {
    const base = sets[set];
    if (!base) throw new ParameterError(`${step.name} parameter set`, `one of ${Object.keys(sets).join(', ')}`, set);
    checkKnown(step, overrides);
    const changed = Object.keys(overrides).length > 0;
    return { name: changed ? undefined : set, params: { ...base, ...overrides } };
  }
  if (!set || typeof set !== 'object' || Array.isArray(set))
    throw new ParameterError(`${step.name} parameters`, 'a parameter-set name or an object of parameters', set);
  checkKnown(step, set);
  checkKnown(step, overrides);
  return { params: { ...(sets.default ?? {}), ...set, ...overrides } };
}

/**
 * Parameter names a step knows: those of its sets and its optional ones. A misspelt name
 * (`passbnad`) would otherwise be carried along unused and the step would run with its default.
 */
function checkKnown(step: Pick<Step, 'name' | 'paramSets' | 'optionalParams'>, given: Record<string, unknown>): void {
  if (!step.paramSets) return;
  const known = new Set([
    ...Object.values(step.paramSets).flatMap((p) => Object.keys(p)),
    ...(step.optionalParams ?? []),
  ]);
  for (const k of Object.keys(given)) {
    if (!known.has(k))
      throw new ParameterError(`${step.name} parameter '${k}'`, `one of ${[...known].join(', ')}`, given[k]);
  }
}
