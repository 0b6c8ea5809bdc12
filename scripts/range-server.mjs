// A static file server with HTTP Range requests for tests and benchmarks (the NWB readers, the
// viewer in Chromium): plain JavaScript so Node runs it without a TypeScript loader.
import { Worker } from 'node:worker_threads';

// The server runs in its own thread: a synchronous range reader on the test's thread blocks that
// thread while it waits, as it would wait on any remote server.
const SERVER = `
const { workerData, parentPort } = require('node:worker_threads');
const { createReadStream, statSync } = require('node:fs');
const { createServer } = require('node:http');
const { join } = require('node:path');
const counters = new Int32Array(workerData.counters);
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url || '/', 'http://x').pathname);
  if (workerData.fail.includes(path)) return res.writeHead(500).end();
  const target = workerData.redirect[path];
  if (target) return res.writeHead(302, { Location: target, 'Access-Control-Allow-Origin': '*' }).end();
  let size;
  try { size = statSync(join(workerData.root, path)).size; } catch { return res.writeHead(404).end(); }
  Atomics.add(counters, 0, 1);
  const m = /bytes=(\\d+)-(\\d*)/.exec(req.headers.range || '');
  const type = { '.js': 'text/javascript', '.html': 'text/html', '.css': 'text/css', '.wasm': 'application/wasm' }[path.slice(path.lastIndexOf('.'))] || 'application/octet-stream';
  const headers = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Range', 'Access-Control-Expose-Headers': 'Content-Range, Content-Length' };
  if (req.method === 'OPTIONS') return res.writeHead(204, headers).end();
  if (!m) { Atomics.add(counters, 1, size); res.writeHead(200, { ...headers, 'Content-Length': size }); return createReadStream(join(workerData.root, path)).pipe(res); }
  const start = Number(m[1]);
  const end = Math.min(size - 1, m[2] ? Number(m[2]) : size - 1);
  Atomics.add(counters, 1, end - start + 1);
  res.writeHead(206, { ...headers, 'Content-Range': 'bytes ' + start + '-' + end + '/' + size, 'Content-Length': end - start + 1 });
  createReadStream(join(workerData.root, path), { start, end }).pipe(res);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => m === 'close' && server.close(() => process.exit(0)));
`;

/**
 * A static file server on 127.0.0.1, in a worker thread, that answers Range requests
 * (206 + Content-Range) like the object stores NWB files are shared from. `fail` paths answer 500;
 * `redirect` paths answer 302 to another path, as DANDI's asset URLs redirect to their object store.
 */
export async function serveFiles(root, options = {}) {
  const counters = new SharedArrayBuffer(8);
  const worker = new Worker(SERVER, {
    eval: true,
    workerData: { root, counters, fail: options.fail ?? [], redirect: options.redirect ?? {} },
  });
  const port = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const c = new Int32Array(counters);
  return {
    url: `http://127.0.0.1:${port}`,
    stats: {
      get requests() {
        return c[0];
      },
      get bytes() {
        return c[1];
      },
    },
    close: () => worker.terminate(),
  };
}
