// One real headless Chromium (Debian's, driven by playwright-core) opening the tetrode fixture in
// a Web Worker from a File (WORKERFS, no copy) and from a URL (Range requests), compared with what
// Node reads from the same file.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNwb } from '../src/index.js';
import { fixture } from './fixtures.js';
import { bundleForBrowser, chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';

describe.runIf(chromiumAvailable())('nwb-io in headless Chromium', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'nwb-io-browser-'));
  let site: TestSite | undefined;
  let expected: { identifier: string; groups: string[]; units: number; window: number[] };

  beforeAll(async () => {
    const here = fileURLToPath(new URL('./browser/', import.meta.url));
    bundleForBrowser(join(here, 'worker-entry.ts'), join(dir, 'worker.js'));
    copyFileSync(join(here, 'index.html'), join(dir, 'index.html'));
    copyFileSync(fixture('tetrode-session.nwb'), join(dir, 'tetrode-session.nwb'));
    site = await openSite(dir);
    const nwb = await openNwb(fixture('tetrode-session.nwb'));
    expected = {
      identifier: nwb.metadata.identifier,
      groups: nwb.electrodes()!.groupNames,
      units: nwb.units()!.spikeTimes.length,
      window: Array.from(nwb.series('e-series').read({ rows: [100, 103], channels: [2, 3, 4], scale: 'raw' }).data),
    };
    nwb.close();
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a File in a worker through WORKERFS and reads what Node reads', async () => {
    const page = await site!.browser.newPage();
    await page.goto(`${site!.url}/index.html`);
    await page.setInputFiles('#file', fixture('tetrode-session.nwb'));
    const got = await page
      .waitForFunction(() => (window as unknown as { results: { file?: unknown } }).results.file, null, {
        timeout: 60_000,
      })
      .then((h) => h.jsonValue());
    expect(got).toMatchObject({ ...expected, workerfs: true });
    await page.close();
  });

  it('opens a URL in a worker lazily, with Range requests', async () => {
    const page = await site!.browser.newPage();
    await page.goto(`${site!.url}/index.html`);
    const got = (await page.evaluate(
      (u) => (window as unknown as { openUrl(u: string): Promise<unknown> }).openUrl(u),
      `${site!.url}/tetrode-session.nwb`,
    )) as typeof expected & { transfer: { bytes: number; size: number } };
    expect(got).toMatchObject(expected);
    expect(got.transfer.bytes).toBeLessThan(got.transfer.size / 5);
    await page.close();
  });
});
