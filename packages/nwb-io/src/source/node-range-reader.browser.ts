// Browser builds' stand-in for node-range-reader.node.ts: browsers read ranges by XHR instead.
import { SpyglassError } from '@spyglass-wasm/core';
import type * as node from './node-range-reader.node.js';

export const nodeRangeReader: typeof node.nodeRangeReader = () =>
  Promise.reject(new SpyglassError('E_NODE_ONLY', 'a worker_threads range reader needs Node.js (browser build)'));
