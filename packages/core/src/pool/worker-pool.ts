import * as Comlink from 'comlink';
import { ParameterError } from '../errors/parameter-error.js';
import { hardwareConcurrency, isNode } from './runtime.js';

export interface WorkerPoolOptions {
  /** Number of workers; defaults to the number of hardware threads. */
  size?: number;
}

interface Slot<T> {
  api: Comlink.Remote<T>;
  terminate: () => void | Promise<unknown>;
}

/**
 * A fixed set of workers, each exposing the same comlink API (see exposeWorker), that runs tasks
 * as workers come free. worker_threads in Node, module Web Workers in browsers; one code path.
 *
 * @example
 * const pool = await WorkerPool.create<FilterApi>(new URL('./filter-worker.js', import.meta.url), { size: 2 });
 * const parts = await pool.map(channelBlocks, (api, block) => api.filter(block));
 * await pool.terminate();
 */
export class WorkerPool<T> {
  readonly size: number;
  private readonly slots: Slot<T>[];
  private readonly idle: Slot<T>[];
  private readonly waiting: ((slot: Slot<T>) => void)[] = [];

  private constructor(slots: Slot<T>[]) {
    this.slots = slots;
    this.idle = [...slots];
    this.size = slots.length;
  }

  static async create<T>(workerUrl: URL | string, options: WorkerPoolOptions = {}): Promise<WorkerPool<T>> {
    const size = options.size ?? (await hardwareConcurrency());
    if (!Number.isInteger(size) || size < 1) throw new ParameterError('size', 'an integer >= 1', size);
    const slots: Slot<T>[] = [];
    for (let i = 0; i < size; i++) slots.push(await spawn<T>(workerUrl));
    return new WorkerPool(slots);
  }

  /** Runs `task` on the next free worker. */
  async run<R>(task: (api: Comlink.Remote<T>) => Promise<R>): Promise<R> {
    const slot = this.idle.pop() ?? (await new Promise<Slot<T>>((resolve) => this.waiting.push(resolve)));
    try {
      return await task(slot.api);
    } finally {
      const next = this.waiting.shift();
      if (next) next(slot);
      else this.idle.push(slot);
    }
  }

  /** Runs `task` for every item, at most `size` at once; results keep the items' order. */
  map<I, R>(items: readonly I[], task: (api: Comlink.Remote<T>, item: I, index: number) => Promise<R>): Promise<R[]> {
    return Promise.all(items.map((item, i) => this.run((api) => task(api, item, i))));
  }

  async terminate(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.terminate()));
  }
}

async function spawn<T>(url: URL | string): Promise<Slot<T>> {
  if (isNode) {
    const { Worker } = await import(/* @vite-ignore */ 'node:worker_threads');
    const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
    const worker = new Worker(url);
    worker.unref();
    return { api: Comlink.wrap<T>(nodeEndpoint(worker as never)), terminate: () => worker.terminate() };
  }
  const worker = new Worker(url, { type: 'module' });
  return { api: Comlink.wrap<T>(worker), terminate: () => worker.terminate() };
}

export { Comlink };
