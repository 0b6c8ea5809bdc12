import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '@spyglass-wasm/core';
import type { Command } from '../lib/command.js';
import { UsageError } from '../lib/options.js';
import { checkInputFile, resolvePath } from '../lib/paths.js';
import { fileArgument } from '../lib/step-command.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The viewer's built site: packages/viewer/dist beside this package in the repository. */
export function viewerSite(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    const site = join(dir, 'packages/viewer/dist');
    if (existsSync(join(site, 'index.html'))) return site;
  }
  return undefined;
}

/**
 * `spyglass view FILE`: serves the viewer and the file on 127.0.0.1 (the file with HTTP range
 * requests, so the page reads only what it shows) and prints the address that opens it.
 */
export const viewCommand: Command = {
  name: 'view',
  summary: 'Open an NWB file in the browser viewer (served on localhost; nothing leaves the machine)',
  args: 'FILE',
  options: {
    port: { type: 'string', value: 'N', help: 'the port to serve on (127.0.0.1 only)', default: 'any free port' },
  },
  examples: ['spyglass view session.nwb', 'spyglass view session.nwb --port 8080'],
  async run({ values, positionals }, io) {
    const file = resolvePath(io.cwd, fileArgument(positionals));
    await checkInputFile(file);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError('--port', 'a port number (0: any free port)', values.port);
    const site = viewerSite();
    if (!site)
      throw new StoreError(
        'the viewer is not built here: run `npm run build` in the repository (packages/viewer/dist)',
      );
    const { createServer } = await import('node:http');
    const { createReadStream } = await import('node:fs');
    const { stat } = await import('node:fs/promises');
    const { extname, normalize } = await import('node:path');
    const server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path =
        url.pathname === '/session.nwb'
          ? file
          : join(site, normalize(url.pathname === '/' ? '/index.html' : url.pathname));
      if (path !== file && !path.startsWith(site)) return void res.writeHead(403).end();
      const s = await stat(path).catch(() => undefined);
      if (!s?.isFile()) return void res.writeHead(404).end();
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const headers = { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Accept-Ranges': 'bytes' };
      if (range) {
        const start = Number(range[1]),
          end = Math.min(s.size - 1, range[2] ? Number(range[2]) : s.size - 1);
        if (start > end) return void res.writeHead(416, { 'Content-Range': `bytes */${s.size}` }).end();
        res.writeHead(206, {
          ...headers,
          'Content-Range': `bytes ${start}-${end}/${s.size}`,
          'Content-Length': end - start + 1,
        });
        createReadStream(path, { start, end }).pipe(res);
      } else {
        res.writeHead(200, { ...headers, 'Content-Length': s.size });
        createReadStream(path).pipe(res);
      }
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    const base = `http://127.0.0.1:${address.port}/`;
    io.stdout.write(`${base}?url=${encodeURIComponent(`${base}session.nwb`)}\n`);
    io.stderr.write(`serving ${file} and the viewer on ${base} (Ctrl-C stops)\n`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => resolve()));
    });
    return 0;
  },
};
