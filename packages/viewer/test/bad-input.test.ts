// Bad input in the UI: a file that is not NWB, addresses that answer 404, a truncated NWB file.
// Each shows one readable line naming what was opened, and the app opens a good file afterwards.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';
import { sessionFixture } from '../../../scripts/test-fixtures.js';
import { builtSite } from './site.js';

const TETRODE = sessionFixture('tetrode-session.nwb');

describe.runIf(chromiumAvailable())('bad input in the viewer', () => {
  let site: TestSite | undefined;
  let page: Page;
  beforeAll(async () => {
    site = await openSite(await builtSite());
    page = await site.browser.newPage();
    await page.goto(`${site.url}/index.html`);
  }, 120_000);
  afterAll(async () => site?.close());

  /** The app still works: a good file opens (its name in the status line, state ready). */
  const reopenGood = async () => {
    await page.setInputFiles('#file-input', TETRODE);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 45_000 });
    expect(await page.textContent('#status')).toMatch(/tetrode-session\.nwb/);
  };

  /** The status once the open of `name` has ended (the good file's "ready" from before does not count). */
  const settled = async (name: string) => {
    await page.waitForFunction(
      (n) => {
        const status = document.querySelector('#status');
        const state = status?.getAttribute('data-state');
        return (state === 'ready' || state === 'error') && !!status?.textContent?.includes(n);
      },
      name,
      { timeout: 45_000 },
    );
    return { state: await page.getAttribute('#status', 'data-state'), text: (await page.textContent('#status')) ?? '' };
  };

  it.each([
    [
      'a text file',
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an HDF5 file\n'.repeat(100)) },
      'notes.txt',
    ],
    [
      'a truncated NWB file',
      { name: 'cut.nwb', mimeType: 'application/octet-stream', buffer: readFileSync(TETRODE).subarray(0, 200_000) },
      'cut.nwb',
    ],
  ])(
    '%s: one line naming the file, then a good file opens',
    async (_what, file, name) => {
      await page.setInputFiles('#file-input', file);
      const bad = await settled(name);
      expect(bad.state).toBe('error');
      console.log(`bad input message: ${bad.text}`);
      expect(bad.text).toContain(name);
      expect(bad.text.split('\n')).toHaveLength(1);
      await reopenGood();
    },
    90_000,
  );

  // a file name, and a folder-like address (asked for a ro-crate-metadata.json first, then read as NWB)
  it.each([['missing.nwb'], ['no-such-folder/']])(
    'a URL that answers 404 (%s): the message names the address',
    async (name) => {
      await page.fill('#url-input', `${site!.url}/${name}`);
      await page.click('.url-form button[type="submit"]');
      const bad = await settled(name);
      expect(bad.state).toBe('error');
      console.log(`bad input message: ${bad.text}`);
      expect(bad.text).toContain(name);
      expect(bad.text).toMatch(/404/);
      await reopenGood();
    },
    90_000,
  );
});
