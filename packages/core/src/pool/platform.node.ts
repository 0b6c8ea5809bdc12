// What the pool needs from Node: worker_threads and the CPU count. Browser builds replace this
// file with platform.browser.ts (tsup.base.ts browserBuild), so no `node:` import reaches them.
import type { Endpoint } from 'comlink';
import type { NodeWorkerLike } from './worker-pool.js';

/** A worker_threads Worker running the script at `url`. */
export async function nodeWorker(url: URL | string): Promise<NodeWorkerLike> {
  const { Worker } = await import('node:worker_threads');
  return new Worker(url) as unknown as NodeWorkerLike;
}

/** A comlink endpoint over a worker_threads Worker or MessagePort. */
export async function nodeEndpoint(port: unknown): Promise<Endpoint> {
  const { default: adapter } = await import('comlink/dist/esm/node-adapter.mjs');
  return adapter(port);
}

/** The parent port inside a worker thread, or null outside one. */
export async function nodeParentPort(): Promise<{ postMessage(message: unknown): void } | null> {
  const { parentPort } = await import('node:worker_threads');
  return parentPort;
}

/** Number of hardware threads Node may use. */
export async function nodeCpuCount(): Promise<number> {
  const os = await import('node:os');
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
