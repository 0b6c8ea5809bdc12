// The Run tab's decoding and the result panel (posterior heat map with the true position, error
// summary, lineage graph) in headless Chromium on the linear-track fixture, compared with `spyglass
// run` of the same chain (position → decode) in Node: same keys, same errors; writes decode.png.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadResult, openStore } from '@spyglass-wasm/provenance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';
import { sessionFixture } from '../../../scripts/test-fixtures.js';
import { fmt } from '../src/dom.js';
import { builtSite, pkg } from './site.js';

const shots = join(pkg, 'docs', 'screenshots');
const UNITS = sessionFixture('linear-track-units.nwb');
const hasChromium = chromiumAvailable();
const BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
/** The Run tab's decoding chain as a pipeline file: the position step, then the file's Units decoded. */
const DECODE_PIPELINE = `name: decode
steps:
  - step: position
    inputs: { session: $file }
  - step: decode
    inputs: { units: $file, position: position }
`;

interface CliDecode {
  keys: { position: string; decode: string };
  summary: Record<string, number>;
  error: Record<'map' | 'posteriorMean', Record<string, number>>;
}

/** `spyglass run` of the decoding chain on `file` (built CLI, one thread), with the decode's stored errors. */
async function cliDecode(file: string, dir: string): Promise<CliDecode> {
  const pipeline = join(dir, 'decode.yaml'),
    storeDir = join(dir, 'store');
  writeFileSync(pipeline, DECODE_PIPELINE);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [BIN, 'run', pipeline, file, '--store', storeDir, '--json', '--quiet', '--threads', '1'],
    { maxBuffer: 64 << 20 },
  );
  const { results } = JSON.parse(stdout).runs[0] as {
    results: Record<string, { result: string; summary: Record<string, number> }>;
  };
  const store = await openStore({ store: storeDir });
  try {
    const d = await loadResult(store, (await store.getResult(results.decode.result))!);
    return {
      keys: { position: results.position.result, decode: results.decode.result },
      summary: results.decode.summary,
      error: d.json.error as CliDecode['error'],
    };
  } finally {
    await store.close();
  }
}

describe.runIf(hasChromium)('result panels in the viewer', () => {
  let site: TestSite | undefined;
  let tmp: string;
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    site = await openSite(await builtSite());
    tmp = mkdtempSync(join(tmpdir(), 'viewer-decode-'));
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('decodes the open File in the Run tab as spyglass run does (same keys and errors) and shows the posterior, the true position, the error and the lineage', async () => {
    const node = cliDecode(UNITS, tmp); // while the browser decodes
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
    // the same chain in Node: the position and decode keys, and the median running error shown
    const cli = await node;
    expect(key).toBe(cli.keys.decode);
    const stepKeys = await page
      .locator('.run-card[data-pipeline="decode"] .run-steps code')
      .evaluateAll((els) => els.map((e) => e.textContent));
    expect(stepKeys).toEqual([cli.keys.position, cli.keys.decode].map((k) => k.slice(0, 18) + '…'));
    expect(await page.textContent('.run-card[data-pipeline="decode"] .run-report')).toContain(
      `median error while running ${fmt(cli.summary.medianErrorRunningCm)} cm`,
    );
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
    // the error table: both estimates' errors as the CLI's decode result stores them
    const errorRows = await page
      .locator('.error-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    const cliRow = (name: string, e: Record<string, number>) =>
      [name, e.medianRunningCm, e.medianCm, e.meanRunningCm, e.meanCm, e.nRunning, e.n].map((v) => fmt(v));
    expect(errorRows).toEqual([cliRow('MAP', cli.error.map), cliRow('posterior mean', cli.error.posteriorMean)]);
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
