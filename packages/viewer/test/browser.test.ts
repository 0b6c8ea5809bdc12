// The built site in Debian's headless Chromium (playwright-core): open the tetrode fixture from a
// File and from a URL on a local Range server, check the tree, draw traces (reading only the
// window's chunks), position and units, and write a screenshot of every view to docs/screenshots.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { lfpStep, positionStep, ripplesStep } from '@spyglass-wasm/pipelines';
import { openStore, runStep } from '@spyglass-wasm/provenance';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';
import { serveFiles } from '../../nwb-io/test/http-server.js';
import { blend, colourCount } from './pixels.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const dist = join(pkg, 'dist');
const shots = join(pkg, 'docs', 'screenshots');
const FIXTURES = '/work/shared/fixtures';
const TETRODE = join(FIXTURES, 'tetrode-session.nwb');

const hasChromium = chromiumAvailable();
if (!hasChromium)
  console.warn('viewer browser test skipped: /usr/bin/chromium is absent (scripts/setup-system.sh installs it)');

/** Newest modification time under a folder (sources, config), to tell whether dist is stale. */
function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

async function buildIfStale() {
  const built = join(dist, 'index.html');
  const sources = Math.max(
    newest(join(pkg, 'src')),
    newest(join(pkg, 'index.html')),
    newest(join(pkg, 'vite.config.ts')),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ root: pkg, configFile: join(pkg, 'vite.config.ts'), logLevel: 'warn' });
}

/** Pixels of a canvas inside `selector` that are neither transparent nor white. */
function inkedPixels(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(`${sel} canvas`) as HTMLCanvasElement | null;
    if (!canvas) return 0;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) n++;
    return n;
  }, selector);
}

async function waitReady(page: Page) {
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 45_000 });
  const state = await page.getAttribute('#status', 'data-state');
  if (state === 'error') throw new Error(`viewer: ${await page.textContent('#status')}`);
}

/** Waits until the plot in `testid` has drawn `times` times or more. */
async function waitDrawn(page: Page, testid: string, times = 1) {
  await page.waitForFunction(
    ([id, n]) =>
      Number((document.querySelector(`[data-testid="${id}"]`) as HTMLElement | null)?.dataset.drawn ?? 0) >= n,
    [testid, times] as const,
    { timeout: 45_000 },
  );
}

describe.runIf(hasChromium)('viewer in headless Chromium', () => {
  let site: TestSite | undefined;
  let files: Awaited<ReturnType<typeof serveFiles>> | undefined;

  beforeAll(async () => {
    await buildIfStale();
    mkdirSync(shots, { recursive: true });
    site = await openSite(dist);
    // A DANDI asset URL (…/assets/<id>/download/) answers 302 to the object store holding the file.
    files = await serveFiles(FIXTURES, { redirect: { '/api/assets/0f4e/download/': '/tetrode-session.nwb' } });
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    await files?.close();
  });

  const newPage = async () => {
    const page = await site!.browser.newPage({ viewport: { width: 1360, height: 860 }, deviceScaleFactor: 1 });
    page.on('pageerror', (err) => console.error('page error:', err.message));
    return page;
  };

  it('opens a File (WORKERFS in the worker), lists its objects and draws traces', async () => {
    const page = await newPage();
    await page.goto(`${site!.url}/index.html`);
    await page.screenshot({ path: join(shots, 'landing.png') });
    await page.setInputFiles('#file-input', TETRODE);
    await waitReady(page);
    const tree = await page.locator('[data-testid="tree"] .tree-name').allTextContents();
    expect(tree).toEqual(
      expect.arrayContaining(['e-series', 'LFP', 'lfp', 'Position', 'position', 'epochs', 'units', 'electrodes']),
    );
    expect(await page.locator('svg.probe circle').count()).toBe(8);
    await page.screenshot({ path: join(shots, 'overview.png'), fullPage: true });

    await page.click('.tab[data-view="traces"]');
    await waitDrawn(page, 'traces-plot');
    expect(await inkedPixels(page, '[data-testid="traces-plot"]')).toBeGreaterThan(2000);
    expect(await page.textContent('.info-line')).toMatch(/band-pass 300–6000 Hz/);
    await page.screenshot({ path: join(shots, 'traces.png'), fullPage: true });

    await page.click('.tree-label[data-path="/units"]');
    await page.waitForSelector('table.data tbody tr');
    expect(await page.locator('table.data tbody tr').count()).toBe(10);

    // Drag-and-drop: a File dropped on the page replaces the open one.
    await page.evaluate(async (url) => {
      const blob = await (await fetch(url)).blob();
      const dt = new DataTransfer();
      dt.items.add(new File([blob], 'linear-track-units.nwb'));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
    }, `${files!.url}/linear-track-units.nwb`);
    await page.waitForFunction(
      () => document.querySelector('.file-name')?.textContent === 'linear-track-units.nwb',
      null,
      { timeout: 45_000 },
    );
    await waitReady(page);
    await page.close();
  });

  it('opens a URL lazily: the trace window reads only its chunks', async () => {
    const page = await newPage();
    const url = `${files!.url}/tetrode-session.nwb`;
    const size = statSync(TETRODE).size;
    // The server's counters are shared by the tests: count from here.
    const base = { requests: files!.stats.requests, bytes: files!.stats.bytes };
    const fetched = () => ({ requests: files!.stats.requests - base.requests, bytes: files!.stats.bytes - base.bytes });
    // uPlot clears its canvas once per draw: count the clears of the traces canvas
    await page.addInitScript(() => {
      const w = window as unknown as { traceClears: number };
      w.traceClears = 0;
      const clear = CanvasRenderingContext2D.prototype.clearRect;
      CanvasRenderingContext2D.prototype.clearRect = function (...args) {
        if (this.canvas.closest('[data-testid="traces-plot"]')) w.traceClears++;
        return clear.apply(this, args);
      };
    });
    const clears = () => page.evaluate(() => (window as unknown as { traceClears: number }).traceClears);
    await page.goto(
      `${site!.url}/index.html?url=${encodeURIComponent(url)}&view=traces&path=/acquisition/e-series&t=2.1&dur=0.5`,
    );
    await waitReady(page);
    await waitDrawn(page, 'traces-plot');
    expect(await inkedPixels(page, '[data-testid="traces-plot"]')).toBeGreaterThan(2000);
    const afterOpen = fetched();
    // The raw series is 30 chunks of 1 s (gzip); a 0.5 s window inside one chunk reads that chunk only.
    expect(await page.textContent('.info-line')).toMatch(/chunks read 1,/);
    expect(afterOpen.bytes).toBeLessThan(size / 4);

    // The next half window is in the same chunk: served from the worker's cache, no new bytes.
    await page.click('button[title^="forward half a window"]');
    await waitDrawn(page, 'traces-plot', 2);
    expect(await page.textContent('.info-line')).toMatch(/chunks read 0, from cache 1/);
    await page.check('#car');
    await waitDrawn(page, 'traces-plot', 3);
    // three windows (open, pan, common reference), each drawn exactly once
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await clears()).toBe(3);
    expect(await page.textContent('.info-line')).toMatch(/common median reference/);
    const total = fetched();
    console.log(
      `viewer URL read: ${total.requests} range requests, ${total.bytes} of ${size} bytes (${((100 * total.bytes) / size).toFixed(1)}%)`,
    );
    expect(total.bytes).toBeLessThan(size / 4);
    expect(new URL(page.url()).searchParams.get('url')).toBe(url);

    await page.click('.tab[data-view="position"]');
    await waitDrawn(page, 'position-plot');
    expect(await inkedPixels(page, '[data-testid="position-plot"]')).toBeGreaterThan(1000);
    await page.screenshot({ path: join(shots, 'position.png'), fullPage: true });

    await page.click('.tree-label[data-path="/intervals/epochs"]');
    await page.waitForSelector('.object table.data tbody tr');
    await page.screenshot({ path: join(shots, 'table.png'), fullPage: true });
    await page.close();
  });

  it('keeps channels, filter and reference in the address, so the link reopens the same view', async () => {
    const page = await newPage();
    const url = `${files!.url}/api/assets/0f4e/download/`; // DANDI-style: redirected to the file
    const link = `${site!.url}/index.html?url=${encodeURIComponent(url)}&view=traces&path=/acquisition/e-series&t=3&dur=0.2&ch=2-5&bp=off&car=1`;
    await page.goto(link);
    await waitReady(page);
    await waitDrawn(page, 'traces-plot');
    const shown = async () => ({
      channels: await page.inputValue('input.channels'),
      bandpass: await page.isChecked('#bp'),
      commonRef: await page.isChecked('#car'),
      info: (await page.textContent('.info-line')) ?? '',
    });
    const fromLink = await shown();
    expect(fromLink).toMatchObject({ channels: '2-5', bandpass: false, commonRef: true });
    expect(fromLink.info).toMatch(/^3 s – 3\.2 s .*common median reference · no filter/);

    // Each change goes into the address; the address then opens the same view in a new page.
    await page.check('#bp');
    await waitDrawn(page, 'traces-plot', 2);
    await page.fill('input.channels', '0, 6-7');
    await page.dispatchEvent('input.channels', 'change');
    await waitDrawn(page, 'traces-plot', 3);
    const q = new URL(page.url()).searchParams;
    expect(Object.fromEntries(['ch', 'bp', 'car', 't', 'dur'].map((k) => [k, q.get(k)]))).toEqual({
      ch: '0,6-7',
      bp: '300-6000',
      car: '1',
      t: '3',
      dur: '0.2',
    });
    const before = await shown();
    const again = await newPage();
    await again.goto(page.url());
    await waitReady(again);
    await waitDrawn(again, 'traces-plot');
    expect(await again.inputValue('input.channels')).toBe('0, 6-7');
    expect(await again.isChecked('#bp')).toBe(true);
    expect(await again.isChecked('#car')).toBe(true);
    // the same window, channels and filters: the line under the plot agrees up to the worker's timings
    const stripTimes = (s: string) => s.replace(/ · chunks read.*/, '');
    expect(stripTimes((await again.textContent('.info-line')) ?? '')).toBe(stripTimes(before.info));
    await again.close();
    await page.close();
  });

  it('shows the Units view: sortable table, ISI, correlograms, raster', async () => {
    const page = await newPage();
    await page.goto(
      `${site!.url}/index.html?url=${encodeURIComponent(`${files!.url}/linear-track-units.nwb`)}&view=units`,
    );
    await waitReady(page);
    await page.waitForSelector('.units table.data tbody tr');
    expect(await page.locator('.units table.data tbody tr').count()).toBe(40);
    const headers = await page.locator('.units table.data th').allTextContents();
    expect(headers.map((h) => h.replace(/[ ▲▼]+$/, ''))).toEqual(
      expect.arrayContaining(['id', 'spikes', 'rate (Hz)', 'quality', 'electrode_group']),
    );
    await page.click('.units table.data tbody tr:nth-child(2)', { modifiers: ['Shift'] });
    await page.waitForSelector('[data-testid="ccg-plot"] canvas');
    expect(await inkedPixels(page, '[data-testid="acg-plot"]')).toBeGreaterThan(500);
    expect(await inkedPixels(page, '[data-testid="raster-plot"]')).toBeGreaterThan(2000);
    // ISI histogram and auto-correlograms: bars in the unit's colour (Tableau blue, the second unit
    // orange), the cross-correlogram green, all inside the axes; nothing of that colour outside
    for (const [id, colour] of [
      ['isi-plot', '#1f77b4'],
      ['acg-plot', '#1f77b4'],
      ['acg2-plot', '#ff7f0e'],
      ['ccg-plot', '#2ca02c'],
    ] as const) {
      const c = await colourCount(page, { selector: `[data-testid="${id}"]`, rgb: blend(colour, 0xaa), tolerance: 14 });
      expect(c.inside, id).toBeGreaterThan(100);
      expect(c.outside, id).toBe(0);
    }
    await page.screenshot({ path: join(shots, 'units.png'), fullPage: true });
    await page.close();
  });

  it('runs LFP → ripples on the open File into the browser store, with the key Node computes; a reload finds it cached', async () => {
    // the key the CLI's chain computes on the same file with default parameters, in a throwaway
    // store, computed while the browser runs
    const nodeKey = (async () => {
      const store = await openStore({ store: 'memory://' });
      try {
        const lfp = await runStep(store, lfpStep, { raw: { file: TETRODE } }, { analysisFile: false });
        const position = await runStep(store, positionStep, { session: { file: TETRODE } }, { analysisFile: false });
        return (
          await runStep(
            store,
            ripplesStep,
            { lfp: { result: lfp.key }, position: { result: position.key } },
            { analysisFile: false },
          )
        ).key;
      } finally {
        await store.close();
      }
    })();
    const page = await newPage();
    const runRipples = async () => {
      await page.goto(`${site!.url}/index.html`);
      await page.setInputFiles('#file-input', TETRODE);
      await waitReady(page);
      await page.click('.tab[data-view="run"]');
      await page.click('.run-card[data-pipeline="ripples"] .run-button');
      await page.waitForSelector(
        '.run-card[data-pipeline="ripples"][data-state="done"], .run-card[data-pipeline="ripples"][data-state="error"]',
        { timeout: 90_000 },
      );
      const error = await page
        .locator('.run-card[data-pipeline="ripples"] .run-error')
        .textContent()
        .catch(() => null);
      if (error) throw new Error(`run: ${error}`);
      return page.locator('.run-card[data-pipeline="ripples"] .run-report');
    };
    const first = await runRipples();
    const expected = await nodeKey;
    expect(await first.getAttribute('data-key')).toBe(expected);
    expect(await first.getAttribute('data-cached')).toBe('false');
    await page.waitForSelector('.results-table tbody tr');
    expect(await page.locator('.results-table tbody tr').count()).toBe(3); // lfp, position, ripples
    await page.screenshot({ path: join(shots, 'run.png'), fullPage: true });
    // the ripples result: ripples shaded over the speed (full-height red spans inside the axes), and
    // each snippet's ripple-band envelope (red) in the lower half, under the LFP
    await page.click(`.result-row[data-key="${expected}"]`);
    await page.waitForSelector('.result-panel[data-step="ripples"] [data-testid="ripples-speed-plot"] canvas');
    const shaded = await colourCount(page, {
      selector: '[data-testid="ripples-speed-plot"]',
      rgb: blend('#d62728', 0x1c),
      tolerance: 5,
    });
    expect(shaded.fullHeightColumns).toBeGreaterThan(3);
    expect(shaded.outside).toBe(0);
    const envelope = await colourCount(page, {
      selector: '[data-testid="ripple-snippet"]',
      rgb: [214, 39, 40],
      tolerance: 40,
    });
    expect(envelope.lower).toBeGreaterThan(40);
    expect(envelope.upper).toBeLessThan(envelope.lower / 10);
    // the ripples are shaded on the traces
    await page.click('.tab[data-view="traces"]');
    await waitDrawn(page, 'traces-plot');

    await page.reload();
    const again = await runRipples();
    expect(await again.getAttribute('data-key')).toBe(expected);
    expect(await again.getAttribute('data-cached')).toBe('true');
    await page.close();
  }, 150_000);
});
