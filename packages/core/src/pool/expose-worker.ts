import * as Comlink from 'comlink';
import { isNode } from './runtime.js';

/**
 * Exposes `api` from inside a worker, over worker_threads' parentPort in Node or the worker's
 * global scope in browsers: the one call a worker script makes.
 *
 * @example
 * // my-worker.ts
 * exposeWorker({ filter: (x: Float32Array) => sosfilt(sos, x) });
 */
export async function exposeWorker<T extends object>(api: T): Promise<void> {
  if (isNode) {
    const { parentPort } = await import(/* @vite-ignore */ 'node:worker_threads');
    if (!parentPort) throw new Error('exposeWorker: not inside a worker thread');
    const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
    Comlink.expose(api, nodeEndpoint(parentPort as never));
  } else {
    Comlink.expose(api);
  }
}
