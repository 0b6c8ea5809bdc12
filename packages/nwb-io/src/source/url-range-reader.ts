import { NwbFormatError, isNode } from '@spyglass-wasm/core';
import { nodeRangeReader } from './node-range-reader.node.js';

/** Synchronous reads of byte ranges of a remote file (HTTP Range requests), for h5wasm. */
export interface SyncRangeReader {
  readonly url: string;
  readonly size: number;
  /** Bytes [start, end). */
  read(start: number, end: number): Uint8Array;
  readonly stats: { requests: number; bytes: number };
  close(): void;
}

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
  const head = request('bytes=0-0');
  const size = Number(
    head.getResponseHeader('Content-Range')?.split('/')[1] ?? head.getResponseHeader('Content-Length'),
  );
  if (!(size > 0)) throw new NwbFormatError(url, '/', 'a Content-Range with the file size');
  return {
    url,
    size,
    stats,
    read(start, end) {
      const xhr = request(`bytes=${start}-${end - 1}`);
      const bytes = new Uint8Array(xhr.response as ArrayBuffer);
      stats.bytes += bytes.length;
      return xhr.status === 200 ? bytes.subarray(start, end) : bytes;
    },
    close() {},
  };
}
