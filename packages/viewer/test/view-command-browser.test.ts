// `spyglass view FILE` end to end: the CLI serves the built viewer and the file on 127.0.0.1 and
// prints the address; that address, opened in Debian's headless Chromium, shows the file read
// lazily through the CLI's range server (a part of the file fetched, not all of it).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../../scripts/browser-test.mjs';
import { builtSite } from './site.js';

const BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
const TETRODE = '/work/shared/fixtures/tetrode-session.nwb';

const hasChromium = chromiumAvailable();

/** Starts `spyglass view FILE --port 0` and resolves with the address it prints on stdout. */
function startView(file: string): { child: ChildProcess; address: Promise<string> } {
  const child = spawn(process.execPath, [BIN, 'view', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const address = new Promise<string>((resolve, reject) => {
    let out = '',
      err = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('\n')) resolve(out.split('\n')[0].trim());
    });
    child.stderr!.on('data', (d) => (err += String(d)));
    child.once('exit', (code) => reject(new Error(`spyglass view exited ${code}: ${err}`)));
  });
  return { child, address };
}

describe.runIf(hasChromium && existsSync(BIN))('spyglass view in headless Chromium', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let view: ReturnType<typeof startView> | undefined;
  beforeAll(async () => {
    await builtSite();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    view?.child.kill('SIGTERM');
    await browser?.close();
  });

  it('prints an address that opens the file in the viewer, read with range requests', async () => {
    view = startView(TETRODE);
    const address = await view.address;
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?url=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fsession\.nwb$/);
    // the server answers a range request with exactly those bytes (the HDF5 signature)
    const part = await fetch(new URL('/session.nwb', address), { headers: { Range: 'bytes=0-7' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-7/${statSync(TETRODE).size}`);
    expect(Array.from(new Uint8Array(await part.arrayBuffer()))).toEqual([
      0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a,
    ]);

    const page = await browser!.newPage({ viewport: { width: 1360, height: 860 } });
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(address);
    await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 120_000 });
    expect(await page.getAttribute('#status', 'data-state')).toBe('ready');
    await page.waitForSelector('.tree-label[data-path="/acquisition/e-series"]', { timeout: 60_000 });
    // the status line reports what the page fetched: a part of the file, by range requests
    await page.waitForFunction(
      () => /range requests/.test(document.querySelector('#status')?.textContent ?? ''),
      null,
      {
        timeout: 60_000,
      },
    );
    const status = (await page.textContent('#status')) ?? '';
    const m = /fetched ([\d.]+) (kB|MB) of ([\d.]+) MB in (\d+) range requests/.exec(status);
    expect(m, status).not.toBeNull();
    expect(Number(m![1]) * (m![2] === 'kB' ? 1e-3 : 1)).toBeLessThan(Number(m![3]) / 4);
    await page.close();
  }, 300_000);
});
