import { NwbFormatError, isNode } from '@spyglass-wasm/core';
import { nodeRangeReader } from './node-range-reader.node.js';

/** Synchronous reads of byte ranges of a remote file (HTTP Range requests), for h5wasm. */
export interface SyncRangeReader {
  readonly url: string;
  readonly size: number;
  /** The first bytes of the file (up to HEAD_BYTES), fetched by the opening request with the size. */
  readonly head: Uint8Array;
  /** Bytes [start, end). */
  read(start: number, end: number): Uint8Array;
  readonly stats: { requests: number; bytes: number };
  close(): void;
}

/**
 * Bytes the opening request fetches: the superblock, the root group and usually the first
 * metadata blocks, in the same round trip that learns the file's size.
 */
export const HEAD_BYTES = 1 << 16;

/**
 * A synchronous range reader: in a browser worker by synchronous XHR with a Range header; in Node
 * by a fetch worker thread that fills a SharedArrayBuffer while this thread waits on Atomics.
 * (HDF5 reads synchronously, so the wait is what lets a lazy remote file look like a local one.)
 */
export async function createSyncRangeReader(url: string): Promise<SyncRangeReader> {
  return isNode ? nodeRangeReader(url) : xhrReader(url);
}

function xhrReader(url: string): SyncRangeReader {
  const stats = { requests: 0, bytes: 0 };
  const request = (range: string): XMLHttpRequest => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);
    xhr.setRequestHeader('Range', range);
    xhr.responseType = 'arraybuffer';
    xhr.send(null);
    stats.requests++;
    if (xhr.status !== 206 && xhr.status !== 200)
      throw new NwbFormatError(url, '/', `an HTTP server answering Range requests (status ${xhr.status})`);
    return xhr;
  };
  const read = (start: number, end: number) => {
    const xhr = request(`bytes=${start}-${end - 1}`);
    const bytes = new Uint8Array(xhr.response as ArrayBuffer);
    stats.bytes += bytes.length;
    return { xhr, bytes: xhr.status === 200 ? bytes.subarray(start, end) : bytes };
  };
  const first = read(0, HEAD_BYTES);
  const size = Number(
    first.xhr.getResponseHeader('Content-Range')?.split('/')[1] ?? first.xhr.getResponseHeader('Content-Length'),
  );
  if (!(size > 0)) throw new NwbFormatError(url, '/', 'a Content-Range with the file size');
  return { url, size, head: first.bytes, stats, read: (start, end) => read(start, end).bytes, close() {} };
}
