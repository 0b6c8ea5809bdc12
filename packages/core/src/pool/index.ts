export { WorkerPool, Comlink, type WorkerPoolOptions } from './worker-pool.js';
export { exposeWorker } from './expose-worker.js';
export { splitRange, type Range } from './split.js';
export { isNode, hardwareConcurrency } from './runtime.js';
