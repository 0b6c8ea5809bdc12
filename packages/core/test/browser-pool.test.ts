// The worker pool's browser path, in real headless Chromium: module Web Workers through comlink,
// the same WorkerPool / exposeWorker code as the worker_threads test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';

describe.runIf(chromiumAvailable())('WorkerPool in headless Chromium', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'core-browser-'));
  let site: TestSite | undefined;

  beforeAll(async () => {
    const here = fileURLToPath(new URL('./browser/', import.meta.url));
    for (const name of ['pool-page', 'pool-worker'])
      bundleForBrowser(join(here, `${name}.ts`), join(dir, `${name}.js`));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./pool-page.js"></script>');
    site = await openSite(dir);
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('splits a job across 2 module workers and gathers the results in order', async () => {
    const page = await site!.browser.newPage();
    await page.goto(`${site!.url}/index.html`);
    await page.waitForFunction(() => 'runPool' in window);
    const r = await page.evaluate(() =>
      (window as unknown as { runPool(): Promise<{ total: number; workers: number }> }).runPool(),
    );
    expect(r).toEqual({ total: (1000 * 999) / 2, workers: 2 });
    await page.close();
  });

  it('a worker script that 404s rejects the pool with a WorkerError', async () => {
    const page = await site!.browser.newPage();
    await page.goto(`${site!.url}/index.html`);
    await page.waitForFunction(() => 'runMissing' in window);
    const r = await page.evaluate(() =>
      (
        window as unknown as { runMissing(): Promise<{ settled: string; typed: boolean; message: string }> }
      ).runMissing(),
    );
    expect(r).toMatchObject({ settled: 'rejected', typed: true });
    expect(r.message).toMatch(/missing-worker\.js failed to load/);
    await page.close();
  });
});
