// The embedded store on IndexedDB in real headless Chromium: a result recorded in one page load is
// found, with its lineage, after a reload (same origin), and not in another database.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';

describe.runIf(chromiumAvailable())('PGlite store on IndexedDB in headless Chromium', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'prov-browser-'));
  let site: TestSite | undefined;

  beforeAll(async () => {
    // `pg` (the PostgreSQL driver) and PGlite's folder backend are Node-only, behind dynamic imports
    // the browser never takes: the driver stays out, the backend's fs/path imports get an empty module.
    const shim = join(dir, 'node-shim');
    mkdirSync(shim);
    for (const f of ['index.js', 'promises.js']) writeFileSync(join(shim, f), 'export {};\n');
    bundleForBrowser(fileURLToPath(new URL('./browser/store-page.ts', import.meta.url)), join(dir, 'store-page.js'), {
      builtins: ['node:*', 'module', 'url', 'os', 'crypto', 'worker_threads', 'child_process'],
      external: ['pg'],
      alias: { fs: shim, path: shim },
    });
    // PGlite fetches its Wasm and data files next to the module that loads it: serve them offline.
    const pglite = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    for (const f of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) copyFileSync(join(pglite, f), join(dir, f));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./store-page.js"></script>',
    );
    site = await openSite(dir);
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a recorded result across page loads', async () => {
    const context = await site!.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) =>
      process.env.DEBUG_BROWSER ? console.log(m.type(), m.text()) : m.type() === 'error' && errors.push(m.text()),
    );
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    if (process.env.DEBUG_BROWSER) page.on('request', (r) => console.log('request', r.url()));
    await page.goto(`${site!.url}/index.html`);
    await page
      .waitForFunction(() => 'ready' in window, undefined, { timeout: 20_000 })
      .catch((e) => {
        throw new Error(`${e.message}; page errors: ${errors.join(' | ')}`);
      });
    expect(
      await page.evaluate(() => (window as unknown as { record(n: string): Promise<boolean> }).record('spyglass-test')),
    ).toBe(true);
    await page.reload();
    await page.waitForFunction(() => 'ready' in window, undefined, { timeout: 60_000 });
    const found = await page.evaluate(() =>
      (window as unknown as { lookup(n: string): Promise<unknown> }).lookup('spyglass-test'),
    );
    expect(found).toEqual({
      status: 'valid',
      summary: { channels: 8 },
      step: 'lfp',
      inputs: { raw: 'file:blake3:f' },
      lineage: ['blake3:k1'],
      missing: null,
    });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
