// The Curate tab in Debian's headless Chromium (playwright-core): sort the tetrode fixture in the
// browser, label two units noise, merge two and split one by amplitude, record the curation (the
// key Node computes on the same file and parameters), download the RO-Crate zip and verify it in
// Node: every step recomputed. Screenshots of the curate view go to docs/screenshots.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { curateStep, sortStep, STEPS } from '@spyglass-wasm/pipelines';
import { loadResult, openStore, runStep, verifyCrate } from '@spyglass-wasm/provenance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const dist = join(pkg, 'dist');
const shots = join(pkg, 'docs', 'screenshots');
const TETRODE = '/work/shared/fixtures/tetrode-session.nwb';
const CURATION = { labels: { 0: 'noise', 1: 'noise' }, merge: [[2, 3]] };

const hasChromium = chromiumAvailable();

describe.runIf(hasChromium)('Curate tab in headless Chromium', () => {
  let site: TestSite | undefined;
  let tmp: string;
  beforeAll(async () => {
    // the site as `npm run build` makes it (built here too, so the test runs on the current sources)
    const { build } = await import('vite');
    await build({ root: pkg, configFile: join(pkg, 'vite.config.ts'), logLevel: 'warn' });
    mkdirSync(shots, { recursive: true });
    site = await openSite(dist);
    tmp = mkdtempSync(join(tmpdir(), 'viewer-curate-'));
  }, 300_000);
  afterAll(async () => {
    await site?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('sorts, curates (two units noise, two merged, one split by amplitude), downloads the crate zip, and spyglass verify recomputes it', async () => {
    // the curate key Node computes on the same file and parameters, while the browser runs; the
    // split: the first accepted unit after the merged ones, at its median amplitude magnitude
    const node = (async () => {
      const store = await openStore({ store: 'memory://' });
      try {
        const sort = await runStep(store, sortStep, { raw: { file: TETRODE } }, { analysisFile: false });
        const d = await loadResult(store, sort.result);
        const unit = (d.json.units as { label: string }[]).findIndex((u, i) => i > 3 && u.label === 'accept');
        const ends = d.arrays.spikeTimesIndex.data;
        const amps = Float64Array.from(d.arrays.spikeAmplitudes.data.subarray(ends[unit - 1], ends[unit]), Math.abs);
        const threshold = Math.round(amps.sort()[amps.length >> 1]);
        const curation = { ...CURATION, split: [{ unit, amplitudeThreshold: threshold }] };
        const key = (
          await runStep(
            store,
            curateStep,
            { sorting: { result: sort.key } },
            { overrides: curation, analysisFile: false },
          )
        ).key;
        return { unit, threshold, curation, key };
      } finally {
        await store.close();
      }
    })();
    const page = await site!.browser.newPage({
      viewport: { width: 1360, height: 860 },
      deviceScaleFactor: 1,
      acceptDownloads: true,
    });
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(`${site!.url}/index.html`);
    await page.setInputFiles('#file-input', TETRODE);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 60_000 });
    await page.click('.tab[data-view="curate"]');
    await page.waitForSelector('.curate-empty');
    await page.click('.tab[data-view="run"]');
    // the sort step's groups sort in nested Web Workers (threads: the cores, at most 4; 2 tetrodes)
    const sortWorkers: string[] = [];
    page.on('worker', (w) => w.url().includes('sort-worker') && sortWorkers.push(w.url()));
    await page.click('.run-card[data-pipeline="sort"] .run-button');
    await page.waitForSelector(
      '.run-card[data-pipeline="sort"][data-state="done"], .run-card[data-pipeline="sort"][data-state="error"]',
      { timeout: 400_000 },
    );
    expect(await page.locator('.run-card[data-pipeline="sort"] .run-error').count()).toBe(0);
    expect(sortWorkers.length).toBe(2);

    await page.click('.tab[data-view="curate"]');
    await page.waitForSelector('.curate-table tbody tr');
    const units = await page.locator('.curate-table tbody tr').count();
    expect(units).toBeGreaterThanOrEqual(4);
    for (const u of [0, 1]) await page.selectOption(`.curate-table tr[data-unit="${u}"] .label-select`, 'noise');
    for (const u of [2, 3]) await page.check(`.curate-table tr[data-unit="${u}"] .merge-tick`);
    await page.click('.merge-button');
    // a split by amplitude: the sort records each spike's amplitude, so the tab offers it
    const { unit, threshold, curation, key: nodeKey } = await node;
    await page.fill(`.curate-table tr[data-unit="${unit}"] .split-input`, String(threshold));
    await page.dispatchEvent(`.curate-table tr[data-unit="${unit}"] .split-input`, 'change');
    await page.waitForFunction(() => document.querySelector('.curate-params pre')?.textContent?.includes('split'));
    expect(JSON.parse((await page.locator('.curate-params pre').textContent()) ?? '{}')).toMatchObject(curation);
    await page.click('.curate-params summary');
    await page.screenshot({ path: join(shots, 'curate.png'), fullPage: true });
    await page.click('.curate-button');
    await page.waitForSelector('.curate-result, .curate-error', { timeout: 120_000 });
    expect(await page.locator('.curate-error').count()).toBe(0);
    const key = await page.getAttribute('.curate-result', 'data-key');
    expect(key).toBe(nodeKey);
    expect(await page.locator('.curate-result .unit-label', { hasText: '2+3' }).count()).toBe(1);
    for (const side of ['below', 'above'])
      expect(await page.locator('.curate-result .unit-label', { hasText: `${unit} (${side})` }).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'curate-recorded.png'), fullPage: true });

    const downloads: import('playwright-core').Download[] = [];
    page.on('download', (d) => downloads.push(d));
    const downloaded = async (n: number) => {
      for (let i = 0; i < 1200 && downloads.length < n; i++) await page.waitForTimeout(100);
      expect(downloads.length).toBe(n);
    };
    await page.click('.download-nwb'); // the sort's and the curation's analysis files
    await downloaded(2);
    expect(downloads.map((d) => d.suggestedFilename().split('-')[0])).toEqual(['sort', 'curate']);
    expect(downloads.every((d) => d.suggestedFilename().endsWith('.nwb'))).toBe(true);
    await page.click('.download-crate');
    await downloaded(3);
    const download = downloads[2];
    expect(download.suggestedFilename()).toMatch(/\.crate\.zip$/);
    const zip = join(tmp, download.suggestedFilename());
    await download.saveAs(zip);
    await page.close();

    const report = await verifyCrate(zip, { steps: STEPS });
    expect(report.steps.map((s) => [s.step, s.status, s.detail])).toEqual([
      ['sort', 'reproduced', undefined],
      ['curate', 'reproduced', undefined],
    ]);
    expect(report.ok).toBe(true);
  }, 900_000);
});
