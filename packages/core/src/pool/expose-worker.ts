import * as Comlink from 'comlink';
import { nodeEndpoint, nodeParentPort } from './platform.node.js';
import { isNode } from './runtime.js';

/** The message a worker posts once its API is exposed: WorkerPool waits for it (or an error). */
export const READY_MESSAGE = 'spyglassWorkerReady';

/**
 * Exposes `api` from inside a worker, over worker_threads' parentPort in Node or the worker's
 * global scope in browsers: the one call a worker script makes. Then tells the pool it is ready,
 * so a pool whose script fails to load rejects instead of waiting.
 *
 * @example
 * // my-worker.ts
 * exposeWorker({ filter: (x: Float32Array) => sosfilt(sos, x) });
 */
export async function exposeWorker<T extends object>(api: T): Promise<void> {
  if (isNode) {
    const parentPort = await nodeParentPort();
    if (!parentPort) throw new Error('exposeWorker: not inside a worker thread');
    Comlink.expose(api, await nodeEndpoint(parentPort));
    parentPort.postMessage({ [READY_MESSAGE]: true });
  } else {
    Comlink.expose(api);
    (globalThis as unknown as { postMessage(message: unknown): void }).postMessage({ [READY_MESSAGE]: true });
  }
}
