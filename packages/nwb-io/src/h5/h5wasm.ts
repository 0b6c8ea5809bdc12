import type * as H5 from 'h5wasm';
import { isNode } from '@spyglass-wasm/core';
import { hardenRuntime } from './guard.js';
import { h5wasmNode } from '../platform.node.js';

export type H5Module = typeof H5.default;
export type { H5 };

/** The slice of Emscripten's FS the package uses (bytes and Blobs live there while open). */
export interface EmscriptenFS {
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
}

export interface H5Runtime {
  h5: H5Module;
  FS: EmscriptenFS;
  /** h5wasm's Emscripten module, for the low-level checked reads. */
  module: unknown;
}

let loading: Promise<H5Runtime> | undefined;

/**
 * h5wasm, loaded once: the Node build (reads the real filesystem, no copy into memory) under
 * Node, the browser build elsewhere. A dynamic import keeps the Node build out of browser bundles.
 * Hardened for hostile files (see hardenRuntime): HDF5 failures throw, silently.
 */
export function loadH5wasm(): Promise<H5Runtime> {
  loading ??= (async () => {
    const mod = (isNode ? await h5wasmNode() : await import('h5wasm')) as unknown as typeof H5;
    const module = await mod.default.ready;
    hardenRuntime(module as never);
    return { h5: mod.default, FS: mod.FS as unknown as EmscriptenFS, module };
  })();
  return loading;
}

let loadingMemfs: Promise<H5Runtime> | undefined;

/**
 * The h5wasm build on Emscripten's in-memory filesystem (the browser build, which also runs in
 * Node): where lazily fetched remote files are mounted.
 */
export function loadH5wasmMemfs(): Promise<H5Runtime> {
  if (!isNode) return loadH5wasm();
  loadingMemfs ??= (async () => {
    const mod = (await import('h5wasm')) as unknown as typeof H5;
    const module = await mod.default.ready;
    hardenRuntime(module as never);
    return { h5: mod.default, FS: mod.FS as unknown as EmscriptenFS, module };
  })();
  return loadingMemfs;
}
