import { ParameterError } from '@spyglass-wasm/core';
import { parsePipeline, runPipeline } from './pipeline.js';
import { runStep } from './runner.js';
import type { Step } from './step.js';
import type { Job } from './store/store.js';
import type { JobQueue, ResultRepository } from './store/interfaces.js';

type Store = JobQueue & ResultRepository;

export interface WorkerOptions {
  /** Worker name recorded with claims and completions (default host:pid). */
  name?: string;
  /** Steps this worker can run, by name. */
  steps: Record<string, Step>;
  /** Lease length; a worker silent this long loses its job to another (default 60 s). */
  leaseMs?: number;
  /** Heartbeat period (default leaseMs / 4). */
  heartbeatMs?: number;
  /** Poll period when the queue is empty (default 1 s). */
  pollMs?: number;
  /** Return when no job is ready instead of polling (default false). */
  exitWhenIdle?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: { job: number; event: 'claimed' | 'completed' | 'failed' | 'lease-lost'; detail?: string }) => void;
}

/**
 * A worker loop over a store's job queue: claim (SKIP LOCKED + lease), run the step through the
 * store (so results are shared and cached), heartbeat while it runs, complete only while holding
 * the lease, record errors with the job. Returns the number of jobs it completed.
 *
 * @example
 * await runWorker(await openStore({ store: 'postgres://lab/spyglass' }), { steps: STEPS });
 */
export async function runWorker(store: Store, options: WorkerOptions): Promise<number> {
  const name = options.name ?? defaultName();
  const leaseMs = options.leaseMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? leaseMs / 4;
  if (!(heartbeatMs < leaseMs)) throw new ParameterError('heartbeatMs', `less than leaseMs (${leaseMs})`, heartbeatMs);
  let completed = 0;
  while (!options.signal?.aborted) {
    const job = await store.claim(name, leaseMs);
    if (!job) {
      if (options.exitWhenIdle) break;
      await sleep(options.pollMs ?? 1000, options.signal);
      continue;
    }
    options.onEvent?.({ job: job.id, event: 'claimed' });
    const beat = setInterval(() => void store.heartbeat(job, leaseMs).catch(() => {}), heartbeatMs);
    try {
      const result = await runJob(store, job, options.steps);
      clearInterval(beat);
      const ok = await store.complete(job, result);
      if (ok) completed++;
      options.onEvent?.({ job: job.id, event: ok ? 'completed' : 'lease-lost' });
    } catch (err) {
      clearInterval(beat);
      const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      await store.fail(job, detail);
      options.onEvent?.({ job: job.id, event: 'failed', detail });
    }
  }
  return completed;
}

async function runJob(store: Store, job: Job, steps: Record<string, Step>): Promise<unknown> {
  const p = job.payload;
  if ('pipeline' in p) {
    const [run] = await runPipeline(store, parsePipeline(JSON.stringify(p.pipeline), steps, `job ${job.id}`), [p.file], steps);
    return Object.fromEntries(Object.entries(run.results).map(([id, o]) => [id, { key: o.key, cached: o.cached }]));
  }
  const step = steps[p.step];
  if (!step) throw new ParameterError('job step', `one of ${Object.keys(steps).join(', ')}`, p.step);
  const out = await runStep(store, step, p.inputs, { params: p.params });
  return { key: out.key, cached: out.cached };
}

function defaultName(): string {
  return typeof process !== 'undefined' ? `${process.env.HOSTNAME ?? 'host'}:${process.pid}` : `browser:${Math.random().toString(36).slice(2)}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
