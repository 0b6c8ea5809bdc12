import { NwbFormatError, isNode } from '@spyglass-wasm/core';
import { type H5, type H5Module, loadH5wasm, loadH5wasmMemfs } from '../h5/h5wasm.js';
import { checkHdf5Header } from '../h5/hdf5-signature.js';
import { type NwbSource, isUrlSource, sourceName } from './nwb-source.js';
import { mountBlob } from './blob-workerfs.js';
import { mountLazyFile } from './lazy-file.js';
import { createSyncRangeReader } from './url-range-reader.js';

/** An HDF5 file opened for reading, and how to release it. */
export interface OpenedH5 {
  file: H5.File;
  name: string;
  close(): void;
  /** For remote files: HTTP requests and bytes fetched, blocks read and cache hits so far. */
  transfer?: () => { requests: number; bytes: number; blocks: number; cacheHits: number; size: number };
}

export interface OpenOptions {
  name?: string;
  /** Remote files: bytes per Range request (default 64 KiB) and blocks kept in cache (default 256). */
  blockSize?: number;
  cacheBlocks?: number;
}

let counter = 0;

/**
 * Opens a source with h5wasm after checking its HDF5 header: paths are read in place from the
 * real filesystem (Node); bytes and Blobs are placed in h5wasm's in-memory filesystem.
 */
export async function openH5(source: NwbSource, options: OpenOptions = {}): Promise<OpenedH5> {
  const name = sourceName(source, options.name);
  if (isUrlSource(source)) return openUrl(String(source), name, options);
  const { h5, FS } = await loadH5wasm();
  if (typeof source === 'string') {
    if (!isNode) throw new NwbFormatError(name, '/', 'bytes, a Blob or a URL in a browser (a path needs Node)');
    const { openSync, readSync, fstatSync, closeSync } = await import(/* @vite-ignore */ 'node:fs');
    let fd: number;
    try {
      fd = openSync(source, 'r');
    } catch (err) {
      throw new NwbFormatError(name, '/', `a readable file (${(err as Error).message})`, err);
    }
    try {
      const head = new Uint8Array(4096);
      const n = readSync(fd, head, 0, head.length, 0);
      checkHdf5Header(name, head.subarray(0, n), fstatSync(fd).size);
    } finally {
      closeSync(fd);
    }
    return wrapOpen(h5, source, name, () => {});
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const mounted = mountBlob(FS, source);
    if (mounted) {
      checkHdf5Header(name, new Uint8Array(await source.slice(0, 4096).arrayBuffer()), source.size);
      return wrapOpen(h5, mounted.path, name, mounted.release);
    }
  }
  const bytes =
    source instanceof Uint8Array ? source : source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(await (source as Blob).arrayBuffer());
  checkHdf5Header(name, bytes.subarray(0, 4096), bytes.length);
  const fsPath = `/spyglass-${Date.now()}-${counter++}.nwb`;
  FS.writeFile(fsPath, bytes);
  return wrapOpen(h5, fsPath, name, () => FS.unlink(fsPath));
}

function wrapOpen(h5: H5Module, path: string, name: string, release: () => void): OpenedH5 {
  let file: H5.File;
  try {
    file = new h5.File(path, 'r');
  } catch (err) {
    release();
    throw new NwbFormatError(name, '/', 'an HDF5 file h5wasm can open', err);
  }
  if (!file.file_id || Number(file.file_id) < 0) {
    release();
    throw new NwbFormatError(name, '/', 'an HDF5 file h5wasm can open');
  }
  let closed = false;
  return {
    file,
    name,
    close() {
      if (closed) return;
      closed = true;
      file.close();
      release();
    },
  };
}

/** A remote file: HDF5 reads become Range requests for the blocks they touch. */
async function openUrl(url: string, name: string, options: OpenOptions): Promise<OpenedH5> {
  const reader = await createSyncRangeReader(url);
  try {
    checkHdf5Header(name, reader.read(0, Math.min(4096, reader.size)), reader.size);
  } catch (err) {
    reader.close();
    throw err;
  }
  const { h5, FS } = await loadH5wasmMemfs();
  const fsPath = `/spyglass-remote-${Date.now()}-${counter++}.nwb`;
  const stats = mountLazyFile(FS as never, fsPath, reader.size, (s, e) => reader.read(s, e), options);
  const opened = wrapOpen(h5, fsPath, name, () => {
    FS.unlink(fsPath);
    reader.close();
  });
  return { ...opened, transfer: () => ({ ...reader.stats, ...stats, size: reader.size }) };
}
