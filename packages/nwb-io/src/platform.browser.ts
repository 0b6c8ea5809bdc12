// Browser builds' stand-in for platform.node.ts: callers check isNode first, so these only reject
// if a Node-only path is reached anyway (a typed error instead of a bundler's missing module).
import { SpyglassError } from '@spyglass-wasm/core';
import type * as node from './platform.node.js';

const needsNode = (module: string) => (): Promise<never> =>
  Promise.reject(
    new SpyglassError('E_NODE_ONLY', `${module} needs Node.js (this is the browser build of @spyglass-wasm/nwb-io)`),
  );

export const nodeFs: typeof node.nodeFs = needsNode('node:fs');
export const nodePath: typeof node.nodePath = needsNode('node:path');
export const h5wasmNode: typeof node.h5wasmNode = needsNode('h5wasm/node');
