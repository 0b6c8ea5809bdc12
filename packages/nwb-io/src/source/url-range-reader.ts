import { NwbFormatError, isNode } from '@spyglass-wasm/core';

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
  return isNode ? nodeReader(url) : xhrReader(url);
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

// The fetch worker: waits for {url, start, end} on its port, writes the status and bytes into the
// shared buffers, and wakes the waiting thread.
const FETCH_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ url, start, end, control, data }) => {
  const ctl = new Int32Array(control);
  const out = new Uint8Array(data);
  try {
    const res = await fetch(url, { headers: { Range: 'bytes=' + start + '-' + (end - 1) } });
    const buf = new Uint8Array(await res.arrayBuffer());
    const range = res.headers.get('content-range');
    const total = range ? Number(range.split('/')[1]) : Number(res.headers.get('content-length'));
    const bytes = res.status === 200 ? buf.subarray(start, end) : buf;
    out.set(bytes.subarray(0, out.length));
    ctl[1] = res.status; ctl[2] = bytes.length; ctl[3] = Number.isFinite(total) ? total : -1;
  } catch (err) {
    ctl[1] = -1; ctl[2] = 0;
  }
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
});
`;

async function nodeReader(url: string): Promise<SyncRangeReader> {
  const { Worker } = await import(/* @vite-ignore */ 'node:worker_threads');
  const worker = new Worker(FETCH_WORKER, { eval: true });
  worker.unref();
  const control = new SharedArrayBuffer(16);
  const ctl = new Int32Array(control);
  let data = new SharedArrayBuffer(1 << 20);
  const stats = { requests: 0, bytes: 0 };
  const fetchRange = (start: number, end: number): Uint8Array => {
    if (data.byteLength < end - start) data = new SharedArrayBuffer(end - start);
    Atomics.store(ctl, 0, 0);
    worker.postMessage({ url, start, end, control, data });
    if (Atomics.wait(ctl, 0, 0, 60_000) === 'timed-out')
      throw new NwbFormatError(url, '/', 'an HTTP answer within 60 s');
    stats.requests++;
    const status = ctl[1];
    if (status !== 206 && status !== 200)
      throw new NwbFormatError(url, '/', `an HTTP server answering Range requests (status ${status})`);
    stats.bytes += ctl[2];
    return new Uint8Array(data, 0, ctl[2]).slice();
  };
  fetchRange(0, 1);
  const size = ctl[3];
  if (!(size > 0)) throw new NwbFormatError(url, '/', 'a Content-Range with the file size');
  return {
    url,
    size,
    stats,
    read: (start, end) => fetchRange(start, end),
    close: () => void worker.terminate(),
  };
}
