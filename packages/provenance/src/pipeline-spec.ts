import { ParameterError } from '@spyglass-wasm/core';
import { parse as parseYaml } from 'yaml';
import type { Step } from './step.js';

const STEP_KEYS = ['id', 'step', 'params', 'interval', 'inputs'];

/** One step of a pipeline: which step, which parameter set (name or object), where inputs come from. */
export interface PipelineStep {
  /** Name other steps use to refer to this one's result (default: the step name). */
  id?: string;
  step: string;
  params?: string | Record<string, unknown>;
  /**
   * The part of the session the step runs on: an interval name (epoch tag, TimeIntervals table) or a
   * list of [start, stop] (s); only for steps that take an `interval` parameter. Part of the result
   * key only when given.
   */
  interval?: string | [number, number][];
  /** Input role -> `$file` (the NWB file the pipeline runs on) or the id of an earlier step. */
  inputs: Record<string, string>;
}

export interface Pipeline {
  name?: string;
  steps: PipelineStep[];
}

/**
 * Reads a pipeline file's text (JSON or YAML) and checks it: known steps, known earlier ids.
 *
 * @example
 * parsePipeline('steps:\n  - step: lfp\n    inputs: { raw: $file }\n', STEPS);
 */
export function parsePipeline(text: string, steps: Record<string, Step>, file = 'pipeline'): Pipeline {
  let doc: unknown;
  try {
    doc = parseYaml(text); // YAML is a superset of JSON
  } catch (err) {
    throw new ParameterError(file, 'a JSON or YAML pipeline', (err as Error).message.split('\n')[0]);
  }
  const p = doc as Pipeline;
  if (!p || !Array.isArray(p.steps) || p.steps.length === 0)
    throw new ParameterError(`${file}: steps`, 'a non-empty list of steps', p?.steps);
  for (const k of Object.keys(p))
    if (k !== 'name' && k !== 'steps')
      throw new ParameterError(
        `${file}: ${k}`,
        'only the keys name and steps at the top level',
        (p as unknown as Record<string, unknown>)[k],
      );
  const ids = new Set<string>();
  for (const [i, s] of p.steps.entries()) {
    if (!s || typeof s.step !== 'string' || !steps[s.step])
      throw new ParameterError(`${file}: steps[${i}].step`, `one of ${Object.keys(steps).join(', ')}`, s?.step);
    for (const k of Object.keys(s))
      if (!STEP_KEYS.includes(k))
        throw new ParameterError(
          `${file}: steps[${i}].${k}`,
          `one of the keys ${STEP_KEYS.join(', ')}`,
          (s as unknown as Record<string, unknown>)[k],
        );
    if (s.interval !== undefined) checkInterval(s, steps[s.step], `${file}: steps[${i}]`);
    for (const [role, src] of Object.entries(s.inputs ?? {})) {
      if (src !== '$file' && !ids.has(src))
        throw new ParameterError(
          `${file}: steps[${i}].inputs.${role}`,
          `$file or an earlier step id (${[...ids].join(', ') || 'none yet'})`,
          src,
        );
    }
    const id = s.id ?? s.step;
    if (ids.has(id)) throw new ParameterError(`${file}: steps[${i}].id`, 'an id not used by an earlier step', id);
    ids.add(id);
  }
  return p;
}

/**
 * A step-level `interval:` is a name or a list of [start, stop] with stop > start, on a step that
 * takes an interval, and not given twice (also in `params`).
 */
function checkInterval(s: PipelineStep, step: Step, where: string): void {
  const takes =
    step.optionalParams?.includes('interval') || Object.values(step.paramSets ?? {}).some((p) => 'interval' in p);
  if (!takes)
    throw new ParameterError(`${where}.interval`, `a step that takes an interval (${s.step} does not)`, s.interval);
  const v = s.interval as unknown;
  const span = (x: unknown) =>
    Array.isArray(x) && x.length === 2 && x.every(Number.isFinite) && (x[1] as number) > (x[0] as number);
  const ok = (typeof v === 'string' && v.length > 0) || (Array.isArray(v) && v.length > 0 && v.every(span));
  if (!ok)
    throw new ParameterError(
      `${where}.interval`,
      'an interval name or a list of [start, stop] with stop > start (s)',
      v,
    );
  if (s.params && typeof s.params === 'object' && 'interval' in s.params)
    throw new ParameterError(`${where}.interval`, 'the interval given once (here or in params, not both)', v);
}
