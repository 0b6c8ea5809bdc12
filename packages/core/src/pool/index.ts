export { WorkerPool, Comlink, type WorkerPoolOptions, type WorkerSource, type NodeWorkerLike } from './worker-pool.js';
export { createPackagePool, type PackagePoolOptions } from './package-pool.js';
export { exposeWorker } from './expose-worker.js';
export { splitRange, type Range } from './split.js';
export { isNode, hardwareConcurrency } from './runtime.js';
