// Browser builds' stand-in for platform.node.ts: analysis files are written in memory there, and
// comparing one with a file on disk (verify) needs Node; reaching it rejects with a typed error.
import { SpyglassError } from '@spyglass-wasm/core';
import type * as node from './platform.node.js';

const needsNode = (module: string) => (): Promise<never> =>
  Promise.reject(
    new SpyglassError('E_NODE_ONLY', `${module} needs Node.js (this is the browser build of @spyglass-wasm/pipelines)`),
  );

export const nodeFsPromises: typeof node.nodeFsPromises = needsNode('node:fs/promises');
export const nodeOs: typeof node.nodeOs = needsNode('node:os');
