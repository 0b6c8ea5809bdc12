import * as Comlink from 'comlink';
import { ParameterError } from '../errors/parameter-error.js';
import { WorkerError } from '../errors/worker-error.js';
import { READY_MESSAGE } from './expose-worker.js';
import { nodeEndpoint, nodeWorker } from './platform.node.js';
import { hardwareConcurrency, isNode } from './runtime.js';

export interface WorkerPoolOptions {
  /** Number of workers; defaults to the number of hardware threads. */
  size?: number;
}

/** What `worker_threads.Worker` offers a pool (the events it listens to, terminate). */
export interface NodeWorkerLike {
  on(event: 'message' | 'error' | 'exit', listener: (value: unknown) => void): unknown;
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  terminate(): unknown;
  ref?(): void;
  unref?(): void;
}

/**
 * Where a pool's workers come from: the URL of a worker script (a module Web Worker in browsers,
 * a worker_threads Worker in Node), or a function that creates one worker. Pass a function that
 * calls `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })` so that
 * bundlers (vite, webpack) see the worker and emit it.
 */
export type WorkerSource = URL | string | (() => Worker | NodeWorkerLike);

interface Slot<T> {
  api: Comlink.Remote<T>;
  terminate: () => unknown;
  /** Rejects with a WorkerError once the worker dies; every call on it loses the race to this. */
  dead: Promise<never>;
  /** Node: whether the worker keeps the process alive (while it loads or works, not while idle). */
  hold: (busy: boolean) => void;
}

/**
 * A fixed set of workers, each exposing the same comlink API (see exposeWorker), that runs tasks
 * as workers come free. worker_threads in Node, module Web Workers in browsers; one code path.
 * `create` resolves once every worker has loaded its script and rejects with a WorkerError if one
 * cannot (a 404, a syntax error, a throw at start); a call on a worker that dies rejects too.
 *
 * @example
 * const pool = await WorkerPool.create<FilterApi>(() => new Worker(new URL('./filter-worker.js', import.meta.url), {
 * type: 'module' }), { size: 2 });
 * const parts = await pool.map(channelBlocks, (api, block) => api.filter(block));
 * await pool.terminate();
 */
export class WorkerPool<T> {
  readonly size: number;
  private readonly slots: Slot<T>[];
  private readonly idle: Slot<T>[];
  private readonly waiting: ((slot: Slot<T>) => void)[] = [];
  /** The spread under way (spreads take every worker, so one at a time). */
  private spreading: Promise<unknown> = Promise.resolve();

  private constructor(slots: Slot<T>[]) {
    this.slots = slots;
    this.idle = [...slots];
    this.size = slots.length;
  }

  static async create<T>(source: WorkerSource, options: WorkerPoolOptions = {}): Promise<WorkerPool<T>> {
    const size = options.size ?? (await hardwareConcurrency());
    if (!Number.isInteger(size) || size < 1) throw new ParameterError('size', 'an integer >= 1', size);
    const started = await Promise.allSettled(Array.from({ length: size }, () => spawn<T>(source)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      for (const s of started) if (s.status === 'fulfilled') s.value.terminate();
      throw failed.reason;
    }
    return new WorkerPool(started.map((s) => (s as PromiseFulfilledResult<Slot<T>>).value));
  }

  /** Runs `task` on the next free worker. */
  async run<R>(task: (api: Comlink.Remote<T>) => Promise<R>): Promise<R> {
    const slot = await this.acquire();
    try {
      return await Promise.race([task(slot.api), slot.dead]);
    } finally {
      this.release(slot);
    }
  }

  /**
   * Runs `task` for every item at once, item i on worker i mod size, the workers taken for the
   * while: for tasks that mostly wait for the caller (streams it feeds in step), which must all be
   * under way for any to finish. One spread at a time; results keep the items' order.
   *
   * @example
   * const sums = await pool.spread([a, b, c], (api, x) => api.sum(x)); // 3 calls under way on 2 workers
   */
  spread<I, R>(
    items: readonly I[],
    task: (api: Comlink.Remote<T>, item: I, index: number) => Promise<R>,
  ): Promise<R[]> {
    const turn = this.spreading.then(async () => {
      const slots: Slot<T>[] = [];
      try {
        while (slots.length < Math.min(this.size, items.length)) slots.push(await this.acquire());
        return await Promise.all(
          items.map((item, i) => {
            const slot = slots[i % slots.length];
            return Promise.race([task(slot.api, item, i), slot.dead]);
          }),
        );
      } finally {
        slots.forEach((slot) => this.release(slot));
      }
    });
    this.spreading = turn.catch(() => undefined);
    return turn;
  }

  private acquire(): Promise<Slot<T>> {
    const slot = this.idle.pop();
    const next = slot ? Promise.resolve(slot) : new Promise<Slot<T>>((resolve) => this.waiting.push(resolve));
    return next.then((s) => (s.hold(true), s));
  }

  private release(slot: Slot<T>): void {
    slot.hold(false);
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  /** Runs `task` for every item, at most `size` at once; results keep the items' order. */
  map<I, R>(items: readonly I[], task: (api: Comlink.Remote<T>, item: I, index: number) => Promise<R>): Promise<R[]> {
    return Promise.all(items.map((item, i) => this.run((api) => task(api, item, i))));
  }

  async terminate(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.terminate()));
  }
}

/** A readable name for errors: the script's URL, or what the factory made. */
function describeSource(source: WorkerSource): string {
  return typeof source === 'function' ? 'the worker' : `the worker ${String(source)}`;
}

function reasonOf(event: unknown): string {
  if (event instanceof Error) return event.message;
  const e = event as { message?: string; type?: string } | undefined;
  // a module worker whose script 404s or fails to parse fires a bare `error` Event: no message
  return (
    e?.message ||
    (e?.type === 'messageerror'
      ? 'a message could not be read'
      : 'its script could not be loaded (missing, or an error while loading)')
  );
}

async function spawn<T>(source: WorkerSource): Promise<Slot<T>> {
  const name = describeSource(source);
  let worker: Worker | NodeWorkerLike;
  try {
    worker = typeof source === 'function' ? source() : await createWorker(source);
  } catch (err) {
    throw new WorkerError(`${name} could not be created: ${reasonOf(err)}`, { file: String(source), cause: err });
  }
  const nodeSide = 'on' in worker ? worker : undefined;
  let loaded = false;
  let onReady!: () => void;
  let onDead!: (err: WorkerError) => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const dead = new Promise<never>((_, reject) => (onDead = reject));
  dead.catch(() => {}); // observed through run() and create(); a terminated pool is not an error
  const fail = (event: unknown) =>
    onDead(
      new WorkerError(`${name} ${loaded ? 'died' : 'failed to load'}: ${reasonOf(event)}`, {
        file: typeof source === 'function' ? undefined : String(source),
        cause: event,
      }),
    );
  const message = (data: unknown) => {
    if ((data as Record<string, unknown> | null)?.[READY_MESSAGE]) {
      loaded = true;
      onReady();
    }
  };
  if (nodeSide) {
    nodeSide.on('message', message);
    nodeSide.on('error', fail);
    nodeSide.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
  } else {
    const web = worker as Worker;
    web.addEventListener('message', (e) => message(e.data));
    web.addEventListener('error', (e) => {
      e.preventDefault?.();
      fail(e);
    });
    web.addEventListener('messageerror', fail);
  }
  const terminate = () => worker.terminate();
  try {
    await Promise.race([ready, dead]);
  } catch (err) {
    terminate();
    throw err;
  }
  const endpoint = nodeSide ? await nodeEndpoint(nodeSide) : (worker as Worker);
  // an idle pool must not keep Node running, but a pending call must: or `await pool.map(...)`
  // at the top level of a script ends the process with the call unsettled
  const hold = (busy: boolean) => (busy ? nodeSide?.ref?.() : nodeSide?.unref?.());
  hold(false);
  return { api: Comlink.wrap<T>(endpoint), terminate, dead, hold };
}

async function createWorker(url: URL | string): Promise<Worker | NodeWorkerLike> {
  if (isNode) return nodeWorker(url);
  return new Worker(url, { type: 'module' });
}

export { Comlink };
