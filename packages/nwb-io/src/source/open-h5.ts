import { ParameterError, NwbFormatError, isNode } from '@spyglass-wasm/core';
import { type H5, type H5Runtime, loadH5wasm, loadH5wasmMemfs } from '../h5/h5wasm.js';
import { checkHdf5Header } from '../h5/hdf5-signature.js';
import { describeFailure } from '../h5/h5-errors.js';
import { type ReadPolicy, forgetFile, lastTrip, underPolicy } from '../h5/guard.js';
import { type NwbSource, isUrlSource, sourceName } from './nwb-source.js';
import { mountBlob } from './blob-workerfs.js';
import { mountLazyFile } from './lazy-file.js';
import { createSyncRangeReader } from './url-range-reader.js';
import { nodeFs, nodePath } from '../platform.node.js';

/** An HDF5 file opened for reading, and how to release it. */
export interface OpenedH5 {
  file: H5.File;
  name: string;
  close(): void;
  /** Runs synchronous h5wasm calls on this file under its read policy (see underPolicy). */
  run<T>(fn: () => T): T;
  readonly allowExternal: boolean;
  /** h5wasm's module (for the checked low-level reads). */
  module: unknown;
  /** For remote files: HTTP requests and bytes fetched, blocks read and cache hits so far. */
  transfer?: () => { requests: number; bytes: number; blocks: number; cacheHits: number; size: number };
}

export interface OpenOptions {
  name?: string;
  /** Remote files: bytes per Range request (default 64 KiB) and blocks kept in cache (default 256). */
  blockSize?: number;
  cacheBlocks?: number;
  /**
   * Let HDF5 read outside the file: external links, external raw storage and virtual datasets
   * (default false: refused with an NwbFormatError, since they can point anywhere, e.g. /etc/passwd).
   */
  allowExternal?: boolean;
}

let counter = 0;

/**
 * Opens a source with h5wasm after checking its HDF5 header: paths are read in place from the
 * real filesystem (Node); bytes and Blobs are placed in h5wasm's in-memory filesystem.
 */
export async function openH5(source: NwbSource, options: OpenOptions = {}): Promise<OpenedH5> {
  const name = sourceName(source, options.name);
  if (isUrlSource(source)) return openUrl(String(source), name, options);
  const rt = await loadH5wasm();
  const { FS } = rt;
  if (typeof source === 'string') {
    if (!isNode) throw new NwbFormatError(name, '/', 'bytes, a Blob or a URL in a browser (a path needs Node)');
    const { openSync, readSync, fstatSync, closeSync, statSync } = await nodeFs();
    let size: number;
    try {
      const st = statSync(source);
      if (!st.isFile()) throw new NwbFormatError(name, '/', `a regular file (it is ${kindOf(st)})`);
      size = st.size;
    } catch (err) {
      if (err instanceof NwbFormatError) throw err;
      throw new NwbFormatError(name, '/', `a readable file (${fsReason(err)})`, err);
    }
    let fd: number;
    try {
      fd = openSync(source, 'r');
    } catch (err) {
      throw new NwbFormatError(name, '/', `a readable file (${fsReason(err)})`, err);
    }
    try {
      const head = new Uint8Array(4096);
      const n = readSync(fd, head, 0, head.length, 0);
      checkHdf5Header(name, head.subarray(0, n), fstatSync(fd).size);
    } catch (err) {
      if (err instanceof NwbFormatError) throw err;
      throw new NwbFormatError(name, '/', `a readable file (${fsReason(err)})`, err);
    } finally {
      closeSync(fd);
    }
    // h5wasm gets the absolute path: the guard recognises the file by the path HDF5 opens.
    const { resolve } = await nodePath();
    return wrapOpen(rt, resolve(source), name, size, options, () => {});
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const mounted = mountBlob(FS, source);
    if (mounted) {
      checkHdf5Header(name, new Uint8Array(await source.slice(0, 4096).arrayBuffer()), source.size);
      return wrapOpen(rt, mounted.path, name, source.size, options, mounted.release);
    }
  }
  const bytes =
    source instanceof Uint8Array
      ? source
      : source instanceof ArrayBuffer
        ? new Uint8Array(source)
        : new Uint8Array(await (source as Blob).arrayBuffer());
  checkHdf5Header(name, bytes.subarray(0, 4096), bytes.length);
  const fsPath = `/spyglass-${Date.now()}-${counter++}.nwb`;
  FS.writeFile(fsPath, bytes);
  return wrapOpen(rt, fsPath, name, bytes.length, options, () => FS.unlink(fsPath));
}

function wrapOpen(
  { h5, module }: H5Runtime,
  path: string,
  name: string,
  size: number,
  options: OpenOptions,
  release: () => void,
): OpenedH5 {
  const policy: ReadPolicy = { fsPath: path, allowExternal: options.allowExternal ?? false };
  const run = <T>(fn: () => T): T => underPolicy(policy, size, fn);
  let file: H5.File;
  try {
    file = run(() => new h5.File(path, 'r'));
  } catch (err) {
    release();
    forgetFile(path);
    throw new NwbFormatError(name, '/', `an HDF5 file h5wasm can open (${describeFailure(err, lastTrip())})`, err);
  }
  if (!file.file_id || Number(file.file_id) < 0) {
    release();
    forgetFile(path);
    throw new NwbFormatError(name, '/', 'an HDF5 file h5wasm can open');
  }
  let closed = false;
  return {
    file,
    name,
    run,
    module,
    allowExternal: policy.allowExternal,
    close() {
      if (closed) return;
      closed = true;
      try {
        run(() => file.close());
      } catch {
        // a corrupt file may fail to close cleanly; its handle is released either way
      } finally {
        forgetFile(path);
        release();
      }
    },
  };
}

/** What a filesystem entry is, for "expected a regular file (it is …)". */
function kindOf(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** A filesystem error as a few words ("no such file", "permission denied"). */
function fsReason(err: unknown): string {
  const code = (err as { code?: string }).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'the name is too long',
  };
  return (code && reasons[code]) ?? (err instanceof Error ? err.message.split('\n')[0] : String(err));
}

/** A remote file: HDF5 reads become Range requests for the blocks they touch. */
async function openUrl(url: string, name: string, options: OpenOptions): Promise<OpenedH5> {
  // HDF5 reads synchronously; in a browser that means synchronous XHR, which only workers allow
  if (isBrowserMainThread())
    throw new ParameterError(
      'source',
      `a URL opened in a Web Worker (a browser's main thread cannot read ranges synchronously; see nwb-io's README)`,
      url,
    );
  const reader = await createSyncRangeReader(url);
  try {
    checkHdf5Header(name, reader.head.subarray(0, 4096), reader.size);
  } catch (err) {
    reader.close();
    throw err;
  }
  const rt = await loadH5wasmMemfs();
  const { FS } = rt;
  const fsPath = `/spyglass-remote-${Date.now()}-${counter++}.nwb`;
  const stats = mountLazyFile(FS as never, fsPath, reader.size, (s, e) => reader.read(s, e), {
    ...options,
    head: reader.head,
  });
  const opened = wrapOpen(rt, fsPath, name, reader.size, options, () => {
    FS.unlink(fsPath);
    reader.close();
  });
  return { ...opened, transfer: () => ({ ...reader.stats, ...stats, size: reader.size }) };
}

/** True on a browser page's main thread (not in a worker, not in Node). */
function isBrowserMainThread(): boolean {
  return (
    typeof window !== 'undefined' &&
    typeof document !== 'undefined' &&
    typeof (globalThis as { importScripts?: unknown }).importScripts === 'undefined'
  );
}
