// The OPFS blob store's writer, scratch files and range reads in real headless Chromium: a result
// written in pieces has encodeResult's bytes, nothing is under its name before close, windows read
// back, and an aborted writer or discarded scratch file leaves nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';

describe.runIf(chromiumAvailable())('OPFS blob store pieces in headless Chromium', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'prov-opfs-'));
  let site: TestSite | undefined;

  beforeAll(async () => {
    // the Node-only imports (the PostgreSQL driver, pg-boss) sit behind dynamic imports the page never takes
    bundleForBrowser(fileURLToPath(new URL('./browser/opfs-page.ts', import.meta.url)), join(dir, 'opfs-page.js'), {
      external: ['pg', 'pg-boss'],
    });
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./opfs-page.js"></script>',
    );
    site = await openSite(dir);
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a result in pieces with the one-buffer bytes and leaves only the result', async () => {
    const context = await site!.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site!.url}/index.html`);
    await page
      .waitForFunction(() => 'ready' in window, undefined, { timeout: 20_000 })
      .catch((e) => {
        throw new Error(`${e.message}; page errors: ${errors.join(' | ')}`);
      });
    const out = await page.evaluate(() =>
      (window as unknown as { check(f: string): Promise<unknown> }).check('pieces-test'),
    );
    expect(out).toEqual({ beforeClose: false, same: true, window: true, left: ['r.sgr'] });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
