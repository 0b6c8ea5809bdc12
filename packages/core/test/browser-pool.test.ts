// The worker pool's browser path, in real headless Chromium: module Web Workers through comlink,
// the same WorkerPool / exposeWorker code as the worker_threads test.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles } from '../../nwb-io/test/http-server.js';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM) && process.env.CI) throw new Error('CI needs Debian chromium for browser tests: run scripts/setup-system.sh');

describe.runIf(existsSync(CHROMIUM))('WorkerPool in headless Chromium', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'core-browser-'));
  let server: Awaited<ReturnType<typeof serveFiles>>;
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    const here = fileURLToPath(new URL('./browser/', import.meta.url));
    const esbuild = fileURLToPath(new URL('../../../node_modules/.bin/esbuild', import.meta.url));
    const external = ['node:*', 'os', 'worker_threads'].map((m) => `--external:${m}`);
    for (const name of ['pool-page', 'pool-worker']) {
      execFileSync(esbuild, [join(here, `${name}.ts`), '--bundle', '--format=esm', '--platform=browser', `--outfile=${join(dir, `${name}.js`)}`, ...external, '--log-level=error']);
    }
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./pool-page.js"></script>');
    server = await serveFiles(dir);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
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
