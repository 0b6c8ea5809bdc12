// An RO-Crate made by the CLI (`spyglass sort`, then `spyglass export`) opened in the viewer in
// Debian's headless Chromium: as a zip picked from disk, as a folder URL (?crate=) and as a zip URL
// on a local server; the sort panel is drawn and the lineage shows the step, its parameter set,
// code version and input file. A zip that is no crate gets one line naming it. The sort's analysis
// NWB file opens in the Units view: every channel's mean waveform and the spike amplitudes over time.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';
import { serveFiles } from '../../nwb-io/test/http-server.js';
import { builtSite } from './site.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const shots = join(pkg, 'docs', 'screenshots');
const CLI = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
const TETRODE = '/work/shared/fixtures/tetrode-session.nwb';

const hasChromium = chromiumAvailable();

/** Pixels of the canvases inside `selector` in a saturated colour (plotted data, not axes, grid or text). */
function colouredPixels(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    let n = 0;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>(`${sel} canvas`)) {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4)
        if (
          data[i + 3] > 0 &&
          Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60
        )
          n++;
    }
    return n;
  }, selector);
}

async function settled(page: Page): Promise<{ state: string; text: string }> {
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 120_000 });
  return { state: (await page.getAttribute('#status', 'data-state'))!, text: (await page.textContent('#status'))! };
}

describe.runIf(hasChromium)('RO-Crates and the Units view in headless Chromium', () => {
  let site: TestSite | undefined;
  let files: Awaited<ReturnType<typeof serveFiles>> | undefined;
  let tmp: string;
  let served: string;
  let sortKey: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'viewer-crate-'));
    served = join(tmp, 'served');
    mkdirSync(served);
    // a small run with the CLI: one tetrode sorted, exported as a crate folder, and that folder zipped
    const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { cwd: tmp, encoding: 'utf8' });
    const store = join(tmp, 'store');
    const sorted = JSON.parse(
      cli('sort', TETRODE, '--group', 'tetrode1', '--out', join(tmp, 'sort.nwb'), '--store', store, '--json'),
    );
    sortKey = sorted.result;
    cli('export', sortKey, '--out', join(served, 'crate'), '--store', store);
    execFileSync('python3', ['-m', 'zipfile', '-c', join(served, 'sort-crate.zip'), 'crate'], { cwd: served });
    writeFileSync(join(served, 'notes.zip'), execFileSync('python3', ['-c', ZIP_OF_NOTES]));
    cpSync(join(tmp, 'sort.nwb'), join(served, 'sort.nwb'));
    mkdirSync(shots, { recursive: true });
    site = await openSite(await builtSite());
    files = await serveFiles(served);
  }, 600_000);
  afterAll(async () => {
    await site?.close();
    await files?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const newPage = async () => {
    const page = await site!.browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
    page.on('pageerror', (err) => console.error('page error:', err.message));
    return page;
  };

  it('opens the CLI-made crate zip from disk: the sort panel drawn, the lineage with its step', async () => {
    const page = await newPage();
    await page.goto(`${site!.url}/index.html`);
    // first a zip that is no crate: one line naming it, and the app opens the crate after it
    await page.setInputFiles('#file-input', join(served, 'notes.zip'));
    const bad = await settled(page);
    expect(bad.state).toBe('error');
    expect(bad.text).toMatch(/notes\.zip.*RO-Crate zip \(with ro-crate-metadata\.json\)/);
    expect(bad.text).not.toContain('\n');

    await page.setInputFiles('#file-input', join(served, 'sort-crate.zip'));
    expect((await settled(page)).text).toMatch(/sort-crate\.zip · RO-Crate of 1 results/);
    await page.waitForSelector('.crate-view .result-panel[data-step="sort"]');
    expect(await page.getAttribute('.crate-view .result-panel', 'data-key')).toBe(sortKey);
    expect(await page.textContent('.crate-check')).toMatch(/every file read matches/);
    await page.waitForFunction(() => document.querySelector('[data-testid="waveforms-plot"] canvas'));
    expect(await colouredPixels(page, '[data-testid="waveforms-plot"]')).toBeGreaterThan(1000);
    expect(await page.locator('.sort-table tbody tr').count()).toBeGreaterThanOrEqual(4);
    // the wide metrics table scrolls inside its panel: the page itself never scrolls sideways
    const box = await page.$eval('.result-table', (el) => ({
      scrolls: el.scrollWidth > el.clientWidth,
      overflow: getComputedStyle(el).overflowX,
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    }));
    expect(box).toEqual({ scrolls: true, overflow: 'auto', page: 0 });
    const nodes = await page.$$eval('.lineage-node', (ns) =>
      ns.map((n) => [n.getAttribute('data-kind'), n.querySelector('text')?.textContent ?? '']),
    );
    expect(nodes.filter(([k]) => k === 'result').map(([, t]) => (t ?? '').split(' ')[0])).toEqual(['sort']);
    expect(nodes.filter(([k]) => k === 'file').map(([, t]) => t)).toEqual(['tetrode-session.nwb']);
    expect(nodes.filter(([k]) => k === 'paramset')).toHaveLength(1);
    expect(nodes.filter(([k]) => k === 'code')).toHaveLength(1);
    await page.screenshot({ path: join(shots, 'crate.png'), fullPage: true });
    await page.close();
  });

  it('opens the crate from a folder URL (?crate=, or ?url= of the folder) and from a zip URL, with the same result', async () => {
    for (const query of [
      `crate=${encodeURIComponent(`${files!.url}/crate/`)}`,
      // a folder by ?url=: the viewer finds its ro-crate-metadata.json (no trailing slash needed)
      `url=${encodeURIComponent(`${files!.url}/crate`)}`,
      `url=${encodeURIComponent(`${files!.url}/sort-crate.zip`)}`,
    ]) {
      const page = await newPage();
      await page.goto(`${site!.url}/index.html?${query}`);
      expect((await settled(page)).state).toBe('ready');
      await page.waitForSelector('.crate-view .result-panel');
      expect(await page.getAttribute('.crate-view .result-panel', 'data-key')).toBe(sortKey);
      await page.waitForFunction(() => document.querySelector('[data-testid="waveforms-plot"] canvas'));
      expect(await colouredPixels(page, '[data-testid="waveforms-plot"]')).toBeGreaterThan(1000);
      expect(await page.locator('.lineage-node[data-kind="file"]').count()).toBe(1);
      // the address names the crate, so the link can be shared
      expect(new URL(page.url()).searchParams.get('crate')).toMatch(/\/(crate\/?|sort-crate\.zip)$/);
      await page.close();
    }
  });

  it("the Units view of the sort's analysis file: waveforms on every channel and amplitudes over time", async () => {
    const page = await newPage();
    await page.goto(`${site!.url}/index.html?url=${encodeURIComponent(`${files!.url}/sort.nwb`)}&view=units`);
    expect((await settled(page)).state).toBe('ready');
    await page.waitForSelector('.units table.data tbody tr');
    await page.click('.units table.data tbody tr:nth-child(2)', { modifiers: ['Shift'] });
    await page.waitForSelector('[data-testid="amplitude-plot"] canvas');
    // one cell per channel of the tetrode, side by side: each quarter of the grid holds waveform ink
    const perCell = await page.$eval('[data-testid="waveform-plot"] canvas', (el) => {
      const c = el as HTMLCanvasElement;
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      const cells = [0, 0, 0, 0];
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        if (data[i + 3] > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60)
          cells[Math.floor((((i / 4) % c.width) / c.width) * 4)]++;
      }
      return cells;
    });
    for (const n of perCell) expect(n).toBeGreaterThan(100);
    // a dot per spike of both units (27 + 62 spikes, a few pixels each)
    expect(await colouredPixels(page, '[data-testid="amplitude-plot"]')).toBeGreaterThan(300);
    expect(await page.textContent('[data-testid="waveform-plot"] .plot-title')).toMatch(/each of 4 channels/);
    await page.screenshot({ path: join(shots, 'units-channels.png'), fullPage: true });
    await page.close();
  });
});

// python3: a zip holding one text file (a zip that is not a crate), written to stdout
const ZIP_OF_NOTES = `
import io, sys, zipfile
b = io.BytesIO()
with zipfile.ZipFile(b, 'w') as z: z.writestr('notes.txt', 'hello')
sys.stdout.buffer.write(b.getvalue())
`;
