// The Run tab's decoding and the result panel (posterior heat map with the true position, error
// summary, lineage graph) in headless Chromium on the linear-track fixture; writes decode.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';
import { sessionFixture } from '../../../scripts/test-fixtures.js';
import { builtSite, pkg } from './site.js';

const shots = join(pkg, 'docs', 'screenshots');
const UNITS = sessionFixture('linear-track-units.nwb');
const hasChromium = chromiumAvailable();

describe.runIf(hasChromium)('result panels in the viewer', () => {
  let site: TestSite | undefined;
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    site = await openSite(await builtSite());
  }, 120_000);
  afterAll(async () => site?.close());

  it('decodes the open File in the Run tab and shows the posterior, the true position, the error and the lineage', async () => {
    const page = await site!.browser.newPage({ viewport: { width: 1360, height: 860 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site!.url}/index.html`);
    await page.setInputFiles('#file-input', UNITS);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 45_000 });
    await page.click('.tab[data-view="run"]');
    await page.click('.run-card[data-pipeline="decode"] .run-button');
    await page.waitForSelector(
      '.run-card[data-pipeline="decode"][data-state="done"], .run-card[data-pipeline="decode"][data-state="error"]',
      { timeout: 120_000 },
    );
    expect(await page.locator('.run-card[data-pipeline="decode"] .run-error').count()).toBe(0);
    const key = await page.locator('.run-card[data-pipeline="decode"] .run-report').getAttribute('data-key');
    await page.waitForSelector('.result-panel[data-step="decode"] [data-testid="posterior-plot"] canvas', {
      timeout: 60_000,
    });
    expect(await page.getAttribute('.result-panel', 'data-key')).toBe(key);
    const inked = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="posterior-plot"] canvas')!;
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let n = 0,
        red = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) n++;
        if (data[i] > 200 && data[i + 1] < 100 && data[i + 2] < 100) red++; // the true position's line
      }
      return { n, red };
    });
    expect(inked.n).toBeGreaterThan(50_000);
    expect(inked.red).toBeGreaterThan(200);
    // the true position came from the File (its recorded path is only a name in the browser)
    expect(await page.locator('.result-decode .hint').first().textContent()).not.toMatch(/could not be read/);
    expect(await page.locator('.error-table tbody tr').count()).toBe(2);
    expect(await page.locator('[data-testid="place-fields-plot"] canvas').count()).toBe(1);
    const kinds = await page
      .locator('svg.lineage-graph g.lineage-node')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')).sort());
    expect(kinds).toEqual(['code', 'code', 'file', 'paramset', 'paramset', 'result', 'result']);
    await page.locator('.result-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'decode.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
