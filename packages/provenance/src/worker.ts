import { ParameterError } from '@spyglass-wasm/core';
import { sleep, type Job } from './store/job-queue.js';
import type { JobQueue, ResultRepository } from './store/interfaces.js';
import { STEPS_MODULE_ERROR, type ThreadCall, type ThreadDone, type ThreadRequest } from './job-run.js';
import { LeaseKeeper } from './lease.js';
import { nodeWorkerThreads } from './platform.node.js';

type Store = JobQueue & ResultRepository;

/** Longest lease: heartbeat timers must stay below Node's 2^31 ms timer limit. */
export const MAX_LEASE_MS = 86_400_000;

export interface WorkerOptions {
  /** Worker name recorded with claims and completions (default host:pid). */
  name?: string;
  /**
   * The module (absolute path or `file:` URL) whose `STEPS` export holds the steps this worker
   * runs, by name. It is imported in the worker thread that runs the steps, so a step computing
   * for minutes never delays the heartbeats that keep its lease.
   */
  stepsModule: string;
  /** Lease length; a worker silent this long loses its job to another (default 60 s, at most a day). */
  leaseMs?: number;
  /** Heartbeat period (default leaseMs / 4). */
  heartbeatMs?: number;
  /**
   * Longest wait when the queue is empty (default 1 s; 30 s on PostgreSQL, where enqueue wakes idle
   * workers at once by NOTIFY); also the retry period while the database is unreachable, at most 1 s.
   */
  pollMs?: number;
  /**
   * Return once no job is queued or running, instead of polling (default false). A job another worker runs may still
   * come back when its lease expires.
   */
  exitWhenIdle?: boolean;
  /** How many threads a job's steps may use (StepContext.threads; default one). Never part of a key. */
  threads?: number;
  /** Stops taking jobs; the running job may finish within `graceMs`, else it goes back to the queue. */
  signal?: AbortSignal;
  /** How long a running job may still take after `signal` aborts (default: the lease). */
  graceMs?: number;
  /** Gives the running job back to the queue at once, without waiting for `graceMs` (e.g. a second SIGTERM). */
  releaseSignal?: AbortSignal;
  onEvent?: (event: {
    job: number;
    event: 'claimed' | 'stopping' | 'completed' | 'failed' | 'lease-lost' | 'released' | 'db-error';
    detail?: string;
  }) => void;
}

/**
 * A worker loop over a store's job queue: claim (SKIP LOCKED + lease), run the job's step in a
 * worker thread (its store calls come back to this thread, so results are shared and cached),
 * heartbeat here while it runs, complete only while holding the lease, record errors with the
 * job. A lease the database no longer grants (this process was paused past it and another worker
 * took the job) stops the step at once; late timers alone do not (LeaseKeeper). Database errors
 * (a restarted server) are retried. Returns the number of jobs it completed.
 *
 * @example
 * const store = await openStore({ store: 'postgres://lab/spyglass', resultsDir: '/nfs/lab/results' });
 * await runWorker(store, { stepsModule: import.meta.resolve('@spyglass-wasm/pipelines') });
 */
export async function runWorker(store: Store, options: WorkerOptions): Promise<number> {
  const name = options.name ?? defaultName();
  const leaseMs = options.leaseMs ?? 60_000;
  if (!(leaseMs > 0 && leaseMs <= MAX_LEASE_MS))
    throw new ParameterError('leaseMs', `between 1 and ${MAX_LEASE_MS}`, leaseMs);
  const heartbeatMs = options.heartbeatMs ?? leaseMs / 4;
  if (!(heartbeatMs > 0 && heartbeatMs < leaseMs))
    throw new ParameterError('heartbeatMs', `positive and less than leaseMs (${leaseMs})`, heartbeatMs);
  const pollMs = options.pollMs;
  if (pollMs !== undefined && !(pollMs > 0 && pollMs <= MAX_LEASE_MS))
    throw new ParameterError('pollMs', `between 1 and ${MAX_LEASE_MS}`, pollMs);
  const retryMs = Math.min(pollMs ?? 1000, 1000);
  const graceMs = options.graceMs ?? leaseMs;
  if (!(graceMs >= 0 && graceMs <= MAX_LEASE_MS))
    throw new ParameterError('graceMs', `between 0 and ${MAX_LEASE_MS}`, graceMs);
  const threads = options.threads;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
    throw new ParameterError('threads', 'an integer of at least 1', threads);
  const thread = new StepThread(
    store,
    options.stepsModule.startsWith('/') ? `file://${options.stepsModule}` : options.stepsModule,
    threads,
  );
  let completed = 0;
  try {
    // the engine's stalled-job recovery (pg-boss maintenance) runs in every worker, at a period fitting its lease
    await retrying(() => store.supervise?.(leaseMs) ?? Promise.resolve(), retryMs, options);
    while (!options.signal?.aborted) {
      const job = await retrying(() => store.claim(name, leaseMs), retryMs, options);
      if (!job) {
        if (options.exitWhenIdle && (await retrying(() => store.pending(), retryMs, options)) === 0) break;
        await retrying(() => store.waitForJob(pollMs, options.signal), retryMs, options);
        continue;
      }
      options.onEvent?.({ job: job.id, event: 'claimed' });
      const end = await runLeased(store, thread, job, {
        leaseMs,
        heartbeatMs,
        retryMs,
        graceMs,
        signal: options.signal,
        releaseSignal: options.releaseSignal,
        onEvent: options.onEvent,
      });
      if (end === 'completed') completed++;
    }
  } finally {
    await thread.stop();
  }
  return completed;
}

type RunEnd = 'completed' | 'failed' | 'lease-lost' | 'released';

/** Runs one claimed job in the thread while heartbeating its lease, and settles it in the queue. */
async function runLeased(
  store: Store,
  thread: StepThread,
  job: Job,
  o: {
    leaseMs: number;
    heartbeatMs: number;
    retryMs: number;
    graceMs: number;
    signal?: AbortSignal;
    releaseSignal?: AbortSignal;
    onEvent?: WorkerOptions['onEvent'];
  },
): Promise<RunEnd> {
  let stopped: Exclude<RunEnd, 'completed' | 'failed'> | undefined;
  const stop = (why: Exclude<RunEnd, 'completed' | 'failed'>): void => {
    if (stopped) return;
    stopped = why;
    void thread.cancel();
  };
  const lease = new LeaseKeeper({
    leaseMs: o.leaseMs,
    heartbeat: () => store.heartbeat(job, o.leaseMs),
    onLost: () => stop('lease-lost'),
  });
  const beat = setInterval(() => lease.tick(), o.heartbeatMs);
  let grace: ReturnType<typeof setTimeout> | undefined;
  const onAbort = (): void => {
    o.onEvent?.({ job: job.id, event: 'stopping', detail: `finishing within ${o.graceMs / 1000} s, else released` });
    grace = setTimeout(() => stop('released'), o.graceMs);
  };
  const onRelease = (): void => stop('released');
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.releaseSignal?.aborted) onRelease();
  else o.releaseSignal?.addEventListener('abort', onRelease, { once: true });
  let done: ThreadDone;
  try {
    done = await thread.run(job);
  } finally {
    clearInterval(beat);
    lease.stop();
    clearTimeout(grace);
    o.signal?.removeEventListener('abort', onAbort);
    o.releaseSignal?.removeEventListener('abort', onRelease);
  }
  const settle = async (end: RunEnd, write: () => Promise<boolean>, detail?: string): Promise<RunEnd> => {
    const ok = await retrying(write, o.retryMs, { ...o, signal: undefined });
    const event = ok ? end : 'lease-lost';
    o.onEvent?.({ job: job.id, event, detail });
    return event;
  };
  if (done.error?.name === STEPS_MODULE_ERROR) {
    await settle('released', () => store.release(job));
    throw new ParameterError('stepsModule', `a module exporting STEPS (${done.error.message})`, thread.stepsModule);
  }
  // a job that finished while being stopped is completed, not given back
  if (stopped === 'released' && done.error) return settle('released', () => store.release(job));
  if (stopped === 'lease-lost') {
    o.onEvent?.({ job: job.id, event: 'lease-lost' });
    return 'lease-lost';
  }
  if (done.error) {
    const detail = `${done.error.name}: ${done.error.message}`;
    return settle('failed', () => store.fail(job, detail), detail);
  }
  return settle('completed', () => store.complete(job, done.value));
}

/**
 * The worker thread jobs run in, started on first use and replaced when a job is cancelled
 * (terminating the thread is the only way to stop synchronous compute).
 */
class StepThread {
  private worker?: import('node:worker_threads').Worker;
  private finish?: (d: ThreadDone) => void;

  constructor(
    private readonly store: Store,
    readonly stepsModule: string,
    private readonly threads?: number,
  ) {}

  async run(job: Job): Promise<ThreadDone> {
    const worker = (this.worker ??= await this.start());
    const local = this.store.blobs.localPath?.('x');
    const request: ThreadRequest = {
      type: 'run',
      jobId: job.id,
      payload: job.payload,
      stepsModule: this.stepsModule,
      location: this.store.location,
      durable: this.store.durable,
      blobsLocation: this.store.blobs.location,
      localDir: local?.slice(0, -2),
      threads: this.threads,
    };
    return new Promise((resolve) => {
      this.finish = resolve;
      worker.postMessage(request);
    });
  }

  /** Stops the running job's compute now; its run() resolves with an error. */
  async cancel(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.finish?.({ type: 'done', error: { name: 'Cancelled', message: 'the job was stopped' } });
    this.finish = undefined;
    await w?.terminate();
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private async start(): Promise<import('node:worker_threads').Worker> {
    const { Worker } = await nodeWorkerThreads();
    const w = new Worker(new URL('./step-thread.js', moduleUrl()));
    w.on('message', (msg: ThreadCall | ThreadDone) => {
      if (msg.type === 'done') {
        const f = this.finish;
        this.finish = undefined;
        f?.(msg);
      } else void this.answer(w, msg);
    });
    w.on('error', (err) => {
      if (this.worker === w) this.worker = undefined;
      this.finish?.({ type: 'done', error: { name: err.name, message: err.message } });
      this.finish = undefined;
    });
    w.on('exit', (code) => {
      if (this.worker === w) this.worker = undefined;
      this.finish?.({ type: 'done', error: { name: 'WorkerExit', message: `the step thread exited (code ${code})` } });
      this.finish = undefined;
    });
    return w;
  }

  /** Serves a store or blob call from the thread (only while that thread is the current one). */
  private async answer(w: import('node:worker_threads').Worker, msg: ThreadCall): Promise<void> {
    if (w !== this.worker) return;
    const target = (msg.target === 'blobs' ? this.store.blobs : this.store) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    try {
      const value = await target[msg.method](...msg.args);
      if (w === this.worker) w.postMessage({ type: 'reply', id: msg.id, value });
    } catch (err) {
      if (w === this.worker)
        w.postMessage({
          type: 'reply',
          id: msg.id,
          error: { name: (err as Error).name, message: (err as Error).message },
        });
    }
  }
}

/** This module's URL in the ESM and the CJS build (the step thread's script sits next to it). */
function moduleUrl(): string {
  return typeof __filename === 'string' ? `file://${__filename}` : import.meta.url;
}

/** Retries a queue call while the database is unreachable (a restart, a network cut). */
async function retrying<T>(
  fn: () => Promise<T>,
  retryMs: number,
  o: { signal?: AbortSignal; onEvent?: WorkerOptions['onEvent'] },
): Promise<T | undefined> {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      o.onEvent?.({ job: 0, event: 'db-error', detail: (err as Error).message });
      if (o.signal?.aborted) return undefined;
      await sleep(retryMs, o.signal);
    }
  }
}

/** Errors that mean "the server is gone for now", not "this query is wrong". */
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    /^(57P0[123]|08\d\d\d)$/.test(e?.code ?? '') ||
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(e?.code ?? '') ||
    /Connection terminated|terminating connection|not queryable|the database system is (starting|shutting) up/i.test(
      e?.message ?? '',
    )
  );
}

function defaultName(): string {
  return typeof process !== 'undefined'
    ? `${process.env.HOSTNAME ?? 'host'}:${process.pid}`
    : `browser:${Math.random().toString(36).slice(2)}`;
}
