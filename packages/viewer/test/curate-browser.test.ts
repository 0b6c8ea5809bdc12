// The Curate tab in Debian's headless Chromium (playwright-core): sort the tetrode fixture in the
// browser, label two units noise, merge two and split one by amplitude, record the curation, and
// compare with `spyglass sort` and `spyglass curate` run on the same file (same keys, the same
// units with the same labels and counts); download the RO-Crate zip and verify it in Node: every
// step recomputed. Screenshots of the curate view go to docs/screenshots.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { STEPS } from '@spyglass-wasm/pipelines';
import { loadResult, openStore, verifyCrate } from '@spyglass-wasm/provenance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';
import { fmt } from '../src/dom.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const dist = join(pkg, 'dist');
const shots = join(pkg, 'docs', 'screenshots');
const TETRODE = '/work/shared/fixtures/tetrode-session.nwb';
const CURATION = { labels: { 0: 'noise', 1: 'noise' }, merge: [[2, 3]] };
const run = promisify(execFile);

const BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));

const hasChromium = chromiumAvailable();

/** Runs the built CLI (one thread: the browser sorts beside it) and parses its --json output. */
async function cli(args: string[]): Promise<{
  result: string;
  summary: Record<string, number>;
  units: ({ group: string; label: string; sortedUnits: number[]; split?: string } & Record<string, unknown>)[];
}> {
  const { stdout } = await run(process.execPath, [BIN, ...args, '--json', '--quiet', '--threads', '1'], {
    maxBuffer: 64 << 20,
  });
  return JSON.parse(stdout);
}

/** What `spyglass sort --json` gives per unit besides its metrics (the rest of its fields are metrics). */
const UNIT_FIELDS = new Set(['id', 'group', 'label', 'mergeWith', 'spikes']);
/** A metric as a table cell shows it: to the table's precision; a NaN (null in JSON) blank. */
const cell = (v: unknown) => (v === null || v === undefined ? '' : fmt(v));

/** A curated unit as the Curate tab lists it: its sorted units, split side, label. */
const curatedLabel = (u: { label: string; sortedUnits: number[]; split?: string }) =>
  `${u.sortedUnits.join('+')}${u.split ? ` (${u.split})` : ''}:${u.label}`;

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

  it('sorts and curates (two units noise, two merged, one split) as spyglass sort and spyglass curate do: same keys, units, labels and counts; the crate zip verifies', async () => {
    // `spyglass sort` and `spyglass curate` on the same file, with the same curation, while the
    // browser runs; the split: the first accepted unit after the merged ones, at its median
    // amplitude magnitude (read from the CLI's stored sort)
    const node = (async () => {
      const storeDir = join(tmp, 'cli-store');
      const sort = await cli(['sort', TETRODE, '--out', join(tmp, 'sort.nwb'), '--store', storeDir]);
      const store = await openStore({ store: storeDir });
      let unit: number, threshold: number;
      try {
        const d = await loadResult(store, (await store.getResult(sort.result))!);
        unit = (d.json.units as { label: string }[]).findIndex((u, i) => i > 3 && u.label === 'accept');
        const ends = d.arrays.spikeTimesIndex.data;
        const amps = Float64Array.from(d.arrays.spikeAmplitudes.data.subarray(ends[unit - 1], ends[unit]), Math.abs);
        threshold = Math.round(amps.sort()[amps.length >> 1]);
      } finally {
        await store.close();
      }
      const curation = { ...CURATION, split: [{ unit, amplitudeThreshold: threshold }] };
      const curated = await cli([
        'curate',
        sort.result,
        '--label',
        '0=noise,1=noise',
        '--merge',
        '2+3',
        '--split',
        `${unit}@${threshold}`,
        '--out',
        join(tmp, 'curated.nwb'),
        '--store',
        storeDir,
      ]);
      return {
        unit,
        threshold,
        curation,
        sort: {
          key: sort.result,
          labels: sort.units.map((u, i) => `${i}:${u.group}:${u.label}`),
          units: sort.units,
        },
        curate: { key: curated.result, labels: curated.units.map(curatedLabel), summary: curated.summary },
      };
    })();
    const page = await site!.browser.newPage({
      viewport: { width: 1360, height: 860 },
      deviceScaleFactor: 1,
      acceptDownloads: true,
    });
    // a busy machine makes the run worker's first store open slow (35 s seen): waits are generous
    page.setDefaultTimeout(300_000);
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
    // the same units, groups and metric labels as `spyglass sort`, under the same key
    const cliRuns = await node;
    expect(await page.getAttribute('.run-card[data-pipeline="sort"] .run-report', 'data-key')).toBe(cliRuns.sort.key);
    expect(await page.locator('.run-card[data-pipeline="sort"] .unit-label').allTextContents()).toEqual(
      cliRuns.sort.labels,
    );
    // the sort's panel (a click on its row in the store's list): every metric column, and each
    // unit's spikes and metric values, as `spyglass sort --json` gives them, to the shown precision
    const cliUnits = cliRuns.sort.units;
    const metricNames = [...new Set(cliUnits.flatMap((u) => Object.keys(u).filter((k) => !UNIT_FIELDS.has(k))))];
    expect(metricNames.length).toBeGreaterThanOrEqual(6);
    await page.click(`.result-row[data-key="${cliRuns.sort.key}"]`);
    await page.waitForSelector('.result-panel[data-step="sort"] .sort-table tbody tr', { timeout: 120_000 });
    const sortTable = await page.evaluate(() => {
      const t = document.querySelector('.result-panel[data-step="sort"] .sort-table')!;
      const text = (tr: Element) => [...tr.children].map((c) => c.textContent ?? '');
      return { head: text(t.querySelector('thead tr')!), rows: [...t.querySelectorAll('tbody tr')].map(text) };
    });
    expect(sortTable.head).toEqual(['unit', 'group', 'label', 'peak channel', 'spikes', ...metricNames]);
    expect(sortTable.rows.map((r) => [r[0], r[1], r[2], ...r.slice(4)])).toEqual(
      cliUnits.map((u, i) => [String(i), u.group, u.label, cell(u.spikes), ...metricNames.map((m) => cell(u[m]))]),
    );

    await page.click('.tab[data-view="curate"]');
    await page.waitForSelector('.curate-table tbody tr');
    const units = await page.locator('.curate-table tbody tr').count();
    expect(units).toBeGreaterThanOrEqual(4);
    // the Curate tab's metric columns (the ones curation rules use) hold the CLI's values too
    const curateTable = await page.evaluate(() => {
      const t = document.querySelector('.curate-table')!;
      const text = (tr: Element) => [...tr.children].map((c) => c.textContent ?? '');
      return { head: text(t.querySelector('thead tr')!), rows: [...t.querySelectorAll('tbody tr')].map(text) };
    });
    const CURATE_METRICS = [
      'snr',
      'firingRate',
      'isiViolationsRatio',
      'presenceRatio',
      'amplitudeCutoff',
      'isolationDistance',
    ];
    expect(curateTable.head.slice(5, 5 + CURATE_METRICS.length)).toEqual([
      'SNR',
      'rate (Hz)',
      'ISI viol.',
      'presence',
      'amp. cutoff',
      'isol. dist.',
    ]);
    expect(curateTable.rows.map((r) => [r[1], r[2], r[3], ...r.slice(5, 5 + CURATE_METRICS.length)])).toEqual(
      cliUnits.map((u, i) => [String(i), u.group, cell(u.spikes), ...CURATE_METRICS.map((m) => cell(u[m]))]),
    );
    for (const u of [0, 1]) await page.selectOption(`.curate-table tr[data-unit="${u}"] .label-select`, 'noise');
    for (const u of [2, 3]) await page.check(`.curate-table tr[data-unit="${u}"] .merge-tick`);
    await page.click('.merge-button');
    // a split by amplitude: the sort records each spike's amplitude, so the tab offers it
    const { unit, threshold, curation } = cliRuns;
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
    expect(key).toBe(cliRuns.curate.key);
    // the curated units (merged, split, relabelled) and their counts as `spyglass curate` reports them
    expect(await page.locator('.curate-result .unit-label').allTextContents()).toEqual(cliRuns.curate.labels);
    const { units: kept, noise, mua, merged } = cliRuns.curate.summary;
    expect(await page.textContent('.curate-result p')).toContain(
      `${kept} units kept (${noise} noise, ${mua} mua${merged ? `, ${merged} merged` : ''})`,
    );
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
