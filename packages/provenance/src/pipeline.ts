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
 * is already stored, and each result gets its own analysis NWB file.
 */
export async function runPipeline(
  store: ResultRepository,
  pipeline: Pipeline,
  files: string[],
  steps: Record<string, Step>,
  options: {
    onStep?: (file: string, id: string, outcome: RunOutcome) => void;
    overrides?: (step: Step) => Record<string, unknown> | undefined;
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
      results[id] = await runStep(store, steps[s.step], inputs, {
        params: s.params,
        overrides: options.overrides?.(steps[s.step]),
      });
      options.onStep?.(file, id, results[id]);
    }
    runs.push({ file, results });
  }
  return runs;
}
