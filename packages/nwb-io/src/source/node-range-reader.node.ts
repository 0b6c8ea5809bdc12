// Node's side of url-range-reader.ts (a worker thread that fetches). Browser builds replace this
// file with node-range-reader.browser.ts (tsup.base.ts browserBuild).
import { NwbFormatError } from '@spyglass-wasm/core';
import { HEAD_BYTES, type SyncRangeReader } from './url-range-reader.js';

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

/** Node's synchronous range reader: a fetch worker thread fills a SharedArrayBuffer while this thread waits. */
export async function nodeRangeReader(url: string): Promise<SyncRangeReader> {
  const { Worker } = await import('node:worker_threads');
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
  const head = fetchRange(0, HEAD_BYTES);
  const size = ctl[3];
  if (!(size > 0)) throw new NwbFormatError(url, '/', 'a Content-Range with the file size');
  return {
    url,
    size,
    head,
    stats,
    read: (start, end) => fetchRange(start, end),
    close: () => void worker.terminate(),
  };
}
