import { ParameterError } from '@spyglass-wasm/core';
import { parsePipeline, runPipeline } from './pipeline.js';
import { runStep } from './runner.js';
import type { Step } from './step.js';
import type { ResultRepository } from './store/interfaces.js';
import type { JobPayload } from './store/job-queue.js';

/** Runs one job's payload (a step on inputs, or a pipeline on a file) and returns what the job records. */
export async function runPayload(
  store: ResultRepository,
  jobId: number,
  p: JobPayload,
  steps: Record<string, Step>,
  options: { threads?: number } = {},
): Promise<unknown> {
  if ('pipeline' in p) {
    const [run] = await runPipeline(
      store,
      parsePipeline(JSON.stringify(p.pipeline), steps, `job ${jobId}`),
      [p.file],
      steps,
      { threads: options.threads },
    );
    return Object.fromEntries(Object.entries(run.results).map(([id, o]) => [id, { key: o.key, cached: o.cached }]));
  }
  const step = steps[p.step];
  if (!step) throw new ParameterError('job step', `one of ${Object.keys(steps).join(', ')}`, p.step);
  const out = await runStep(store, step, p.inputs, { params: p.params, threads: options.threads });
  return { key: out.key, cached: out.cached };
}

/** The error name the step thread answers with when it cannot import the steps module. */
export const STEPS_MODULE_ERROR = 'StepsModuleError';

/** Main thread → step thread: run this job. */
export interface ThreadRequest {
  type: 'run';
  jobId: number;
  payload: unknown;
  stepsModule: string;
  location: string;
  durable: boolean;
  blobsLocation: string;
  localDir?: string;
  /** How many threads the job's steps may use (never part of a key). */
  threads?: number;
}
/** Step thread → main thread: a store or blob call, answered by a ThreadReply. */
export interface ThreadCall {
  type: 'call';
  id: number;
  target: 'repo' | 'blobs';
  method: string;
  args: unknown[];
}
export interface ThreadReply {
  type: 'reply';
  id: number;
  value?: unknown;
  error?: { name: string; message: string };
}
/** Step thread → main thread: the job finished. */
export interface ThreadDone {
  type: 'done';
  value?: unknown;
  error?: { name: string; message: string };
}
