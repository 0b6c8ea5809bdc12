// Browser builds' stand-in for platform.node.ts: folder stores, RO-Crate folders, file hashing and
// worker threads are Node's; reaching one in a browser rejects with a typed error, not a missing module.
import { SpyglassError } from '@spyglass-wasm/core';
import type * as node from './platform.node.js';

const needsNode = (module: string) => (): Promise<never> =>
  Promise.reject(
    new SpyglassError(
      'E_NODE_ONLY',
      `${module} needs Node.js (this is the browser build of @spyglass-wasm/provenance: use idb:// or memory:// stores)`,
    ),
  );

export const nodeFs: typeof node.nodeFs = needsNode('node:fs');
export const nodeFsPromises: typeof node.nodeFsPromises = needsNode('node:fs/promises');
export const nodeOs: typeof node.nodeOs = needsNode('node:os');
export const nodePath: typeof node.nodePath = needsNode('node:path');
export const nodeWorkerThreads: typeof node.nodeWorkerThreads = needsNode('node:worker_threads');
export const pgDriver: typeof node.pgDriver = needsNode('pg (PostgreSQL stores)');
export const pgBoss: typeof node.pgBoss = needsNode('pg-boss (PostgreSQL job queue)');
