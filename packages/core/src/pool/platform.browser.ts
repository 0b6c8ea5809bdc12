// Browser builds' stand-in for platform.node.ts: never called there (isNode is false), and it
// keeps `node:` modules out of browser bundles.
import type { Endpoint } from 'comlink';
import type { NodeWorkerLike } from './worker-pool.js';

const notInBrowser = (what: string) => Promise.reject(new Error(`${what} needs Node.js (this is the browser build)`));

export const nodeWorker = (_url: URL | string): Promise<NodeWorkerLike> => notInBrowser('worker_threads');
export const nodeEndpoint = (_port: unknown): Promise<Endpoint> => notInBrowser('worker_threads');
export const nodeParentPort = (): Promise<{ postMessage(message: unknown): void } | null> =>
  notInBrowser('worker_threads');
export const nodeCpuCount = (): Promise<number> => notInBrowser('node:os');
