// The worker pool's browser path, in real headless Chromium: module Web Workers through comlink,
// the same WorkerPool / exposeWorker code as the worker_threads test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles } from '../../nwb-io/test/http-server.js';
// @ts-expect-error plain ESM helper shared by the browser tests
import { bundleForBrowser, chromiumAvailable, launchChromium } from '../../../scripts/browser-test.mjs';

describe.runIf(chromiumAvailable())('WorkerPool in headless Chromium', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'core-browser-'));
  let server: Awaited<ReturnType<typeof serveFiles>>;
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    const here = fileURLToPath(new URL('./browser/', import.meta.url));
    for (const name of ['pool-page', 'pool-worker']) bundleForBrowser(join(here, `${name}.ts`), join(dir, `${name}.js`));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./pool-page.js"></script>');
    server = await serveFiles(dir);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('splits a job across 2 module workers and gathers the results in order', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => 'runPool' in window);
    const r = await page.evaluate(() => (window as unknown as { runPool(): Promise<{ total: number; workers: number }> }).runPool());
    expect(r).toEqual({ total: (1000 * 999) / 2, workers: 2 });
    await page.close();
  });
});
