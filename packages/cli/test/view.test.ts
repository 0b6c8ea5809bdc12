// spyglass view: the viewer and the file on localhost, the file with range requests.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const SESSION = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
const SITE = fileURLToPath(new URL('../../viewer/dist/index.html', import.meta.url));

describe('spyglass view', () => {
  it.skipIf(!existsSync(SITE) || !existsSync(BIN))(
    'serves the viewer and the file (range requests) and prints the address that opens it',
    async () => {
      const child = spawn(process.execPath, [BIN, 'view', SESSION, '--port', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          child.stdout.on('data', (d) => resolve(String(d).trim()));
          child.once('exit', (code) => reject(new Error(`exited ${code}`)));
        });
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?url=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fsession\.nwb$/);
        const base = new URL('/', url);
        expect(await (await fetch(base)).text()).toMatch(/<html/i);
        const part = await fetch(new URL('session.nwb', base), { headers: { Range: 'bytes=0-7' } });
        expect(part.status).toBe(206);
        expect(Array.from(new Uint8Array(await part.arrayBuffer()))).toEqual([
          0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a,
        ]);
        expect((await fetch(new URL('../../etc/passwd', base))).status).not.toBe(200);
      } finally {
        child.kill('SIGTERM');
      }
    },
  );
});
