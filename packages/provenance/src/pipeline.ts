import { runStep, type InputRef, type RunOutcome } from './runner.js';
import type { Step } from './step.js';
import type { Pipeline } from './pipeline-spec.js';
export { parsePipeline, type Pipeline, type PipelineStep } from './pipeline-spec.js';
import type { ResultRepository } from './store/interfaces.js';

/** One file's results, by step id. */
export interface PipelineRun {
  file: string;
  results: Record<string, RunOutcome>;
}

/**
 * Runs a pipeline over NWB files through the store; each step's result is reused when its key
 * is already stored, and each result gets its own analysis NWB file. A step's `interval` (pipeline
 * file) is its `interval` parameter, over any the caller's `overrides` give.
 *
 * @example
 * const pipeline = parsePipeline('steps:\n  - step: lfp\n    interval: sleep2\n    inputs: { raw: $file }\n', STEPS);
 * const [run] = await runPipeline(store, pipeline, ['day.nwb'], STEPS);
 */
export async function runPipeline(
  store: ResultRepository,
  pipeline: Pipeline,
  files: string[],
  steps: Record<string, Step>,
  options: {
    onStep?: (file: string, id: string, outcome: RunOutcome) => void;
    overrides?: (step: Step) => Record<string, unknown> | undefined;
    /** How many threads each step may use (RunStepOptions.threads); never part of a key. */
    threads?: number;
  } = {},
): Promise<PipelineRun[]> {
  const runs: PipelineRun[] = [];
  for (const file of files) {
    const results: Record<string, RunOutcome> = {};
    for (const s of pipeline.steps) {
      const inputs: Record<string, InputRef> = {};
      for (const [role, src] of Object.entries(s.inputs ?? {}))
        inputs[role] = src === '$file' ? { file } : { result: results[src].key };
      const id = s.id ?? s.step;
      // a step-level interval is the step's own choice: it wins over a caller's (e.g. --each-epoch)
      const overrides = options.overrides?.(steps[s.step]);
      results[id] = await runStep(store, steps[s.step], inputs, {
        params: s.params,
        overrides: s.interval === undefined ? overrides : { ...overrides, interval: s.interval },
        threads: options.threads,
      });
      options.onStep?.(file, id, results[id]);
    }
    runs.push({ file, results });
  }
  return runs;
}
