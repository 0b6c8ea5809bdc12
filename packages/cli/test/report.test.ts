// spyglass report: one HTML file per result kind, opened from file:// in headless Chromium with
// every network request refused; the plots draw (canvas not blank) and the lineage graph is there.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeStep,
  lfpStep,
  muaEventsStep,
  positionStep,
  replayStep,
  ripplesStep,
  sortStep,
} from '@spyglass-wasm/pipelines';
import { openStore, runStep, type InputRef, type Step } from '@spyglass-wasm/provenance';
import { simulateReplayDay, writeSessionNwb } from '@spyglass-wasm/sim';
import { chromiumAvailable, launchChromium } from '../../../scripts/browser-test.mjs';
import { sessionFixture } from '../../../scripts/test-fixtures.js';
import { runCli } from './run-cli.js';

const VIEWER = fileURLToPath(new URL('../../viewer', import.meta.url));
const SHOTS = join(VIEWER, 'docs', 'screenshots');
const TETRODE = sessionFixture('tetrode-session.nwb');
const UNITS = sessionFixture('linear-track-units.nwb');
const hasChromium = chromiumAvailable();

/** Builds the viewer's report renderer when it is missing or older than the viewer's sources. */
async function buildRenderer() {
  const newest = (p: string): number =>
    statSync(p).isDirectory() ? Math.max(0, ...readdirSync(p).map((f) => newest(join(p, f)))) : statSync(p).mtimeMs;
  const js = join(VIEWER, 'dist', 'report', 'report.js');
  if (existsSync(js) && statSync(js).mtimeMs >= newest(join(VIEWER, 'src'))) return;
  const { build } = await import('vite');
  await build({ root: VIEWER, configFile: join(VIEWER, 'vite.report.config.ts'), logLevel: 'warn' });
}

let dir: string;
const keys: Record<string, string> = {};

beforeAll(async () => {
  await buildRenderer();
  dir = mkdtempSync(join(tmpdir(), 'spyglass-report-'));
  const store = await openStore({ store: join(dir, '.spyglass'), durable: false });
  const run = async (step: Step, inputs: Record<string, InputRef>, params?: Record<string, unknown>) =>
    (await runStep(store, step, inputs, params ? { params } : {})).key;
  try {
    const tetPosition = await run(positionStep, { session: { file: TETRODE } });
    const lfp = await run(lfpStep, { raw: { file: TETRODE } });
    keys.ripples = await run(ripplesStep, { lfp: { result: lfp }, position: { result: tetPosition } });
    keys.sort = await run(sortStep, { raw: { file: TETRODE } });
    keys['mua-events'] = await run(muaEventsStep, {
      spikes: { result: keys.sort },
      position: { result: tetPosition },
    });
    const position = await run(positionStep, { session: { file: UNITS } });
    keys.decode = await run(decodeStep, { units: { file: UNITS }, position: { result: position } });
    const day = join(dir, 'day.nwb');
    const sim = simulateReplayDay({ seed: 1 });
    await writeSessionNwb(sim, day);
    keys.replay = await run(
      replayStep,
      { units: { file: day }, session: { file: day } },
      { encode: 'run1', decode: 'sleep2', events: sim.truth.ripples.map((r) => [r.start, r.end]) },
    );
  } finally {
    await store.close();
  }
}, 300_000);

describe('spyglass report', () => {
  it('refuses bad input in one line: no --out, an existing file without --force, an unknown result', async () => {
    const noOut = await runCli(['report', keys.decode, '--store', join(dir, '.spyglass')], dir);
    expect([noOut.code, noOut.stderr.split('\n')[0]]).toEqual([2, expect.stringMatching(/--out.*an \.html file/)]);
    const exists = join(dir, 'exists.html');
    await import('node:fs/promises').then((fs) => fs.writeFile(exists, 'keep me'));
    const refused = await runCli(['report', keys.decode, '--out', exists, '--store', join(dir, '.spyglass')], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--force replaces it/);
    expect(readFileSync(exists, 'utf8')).toBe('keep me');
    const unknown = await runCli(
      ['report', 'ffffffffffff', '--out', join(dir, 'x.html'), '--store', join(dir, '.spyglass')],
      dir,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no result ffffffffffff/);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });

  describe.runIf(hasChromium)('in headless Chromium, from file:// with no network', () => {
    let browser: Browser;
    beforeAll(async () => (browser = await launchChromium()), 60_000);
    afterAll(async () => browser?.close());

    /** Writes the report of `kind` in a folder of its own and opens it with every non-file request refused. */
    async function openReport(kind: string): Promise<{ page: Page; requests: string[]; folder: string }> {
      const folder = mkdtempSync(join(dir, `${kind}-`));
      const out = join(folder, `${kind}.html`);
      const r = await runCli(
        ['report', keys[kind].slice(7, 19), '--out', out, '--store', join(dir, '.spyglass'), '--json'],
        dir,
      );
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toMatchObject({ step: kind, out });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        requests.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(out).href);
      await page.waitForSelector('body[data-rendered="true"]', { timeout: 30_000 }).catch(() => {
        throw new Error(`${kind} report did not render: ${errors.join('; ')}`);
      });
      expect(errors).toEqual([]);
      return { page, requests, folder };
    }

    const inked = (page: Page, selector: string) =>
      page.evaluate((sel) => {
        let n = 0;
        for (const c of document.querySelectorAll<HTMLCanvasElement>(`${sel} canvas`)) {
          const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
          for (let i = 0; i < data.length; i += 4)
            if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) n++;
        }
        return n;
      }, selector);

    it.each([
      ['decode', '[data-testid="posterior-plot"]', 'report-decode.png'],
      ['replay', '[data-testid="replay-plot"]', 'report-replay.png'],
      ['ripples', '[data-testid="ripple-snippet"]', 'report-ripples.png'],
      ['mua-events', '[data-testid="mua-speed-plot"]', 'report-mua-events.png'],
      ['sort', '[data-testid="waveforms-plot"]', undefined],
    ])(
      '%s: one file that draws its plots and its lineage',
      async (kind, plot, shot) => {
        const { page, requests, folder } = await openReport(kind);
        expect(readdirSync(folder)).toEqual([`${kind}.html`]); // a single file, no temporary left behind
        expect(requests).toEqual([]);
        expect(await inked(page, plot)).toBeGreaterThan(kind === 'decode' ? 50_000 : 2000);
        const nodes = await page
          .locator('svg.lineage-graph g.lineage-node')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
        expect(nodes).toContain('file');
        expect(nodes).toContain('paramset');
        expect(nodes).toContain('code');
        expect(nodes.filter((k) => k === 'result').length).toBeGreaterThanOrEqual(
          kind === 'ripples' || kind === 'mua-events' ? 3 : kind === 'decode' ? 2 : 1,
        );
        if (kind === 'mua-events') expect(await page.locator('.mua-table tbody tr').count()).toBeGreaterThan(0);
        expect(await page.locator('.result-key').textContent()).toBe(keys[kind]);
        if (kind === 'decode') expect(await page.locator('.error-table tbody tr').count()).toBe(2);
        if (shot) await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
        await page.close();
      },
      120_000,
    );
  });
});
