import { nodeCpuCount } from './platform.node.js';

/** True in Node.js (main thread or worker_threads), false in browsers and browser workers. */
export const isNode: boolean =
  typeof process !== 'undefined' && typeof process.versions === 'object' && process.versions.node !== undefined;

/** Number of hardware threads, for sizing pools. */
export async function hardwareConcurrency(): Promise<number> {
  if (isNode) return nodeCpuCount();
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 4;
}
