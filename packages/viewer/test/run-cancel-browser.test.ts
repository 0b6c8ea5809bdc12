// The Run tab in Debian's headless Chromium: Cancel during a sort terminates the run worker and
// the sort's own workers, stores nothing, and leaves the page working; progress repaints the bar
// in place (the panel is not rebuilt per progress message, so the main thread stays free).
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openSite, type TestSite } from '../../../scripts/browser-test.mjs';
import { builtSite } from './site.js';

const TETRODE = '/work/shared/fixtures/tetrode-session.nwb';
const SORT_CARD = '.run-card[data-pipeline="sort"]';

const hasChromium = chromiumAvailable();

/** Polls `check` every 200 ms until it holds (no timing is asserted: the deadline only ends a hang). */
async function until(
  page: Page,
  what: string,
  check: () => boolean | Promise<boolean>,
  seconds = 300,
  state: () => unknown = () => '',
) {
  for (let i = 0; i < seconds * 5; i++) {
    if (await check()) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`still waiting after ${seconds} s: ${what} ${JSON.stringify(state())}`);
}

describe.runIf(hasChromium)('Run tab: Cancel', () => {
  let site: TestSite | undefined;
  beforeAll(async () => {
    site = await openSite(await builtSite());
  }, 300_000);
  afterAll(async () => {
    await site?.close();
  });

  it('stops a running sort: its workers end, nothing is stored, and the page works on', async () => {
    const page = await site!.browser.newPage({ viewport: { width: 1360, height: 860 } });
    page.on('pageerror', (err) => console.error('page error:', err.message));
    const workers: { url: string; closed: boolean }[] = [];
    page.on('worker', (w: Worker) => {
      const entry = { url: w.url(), closed: false };
      workers.push(entry);
      w.on('close', () => (entry.closed = true));
    });
    const runWorkers = () => workers.filter((w) => /run-worker|sort-worker/.test(w.url));
    await page.goto(`${site!.url}/index.html`);
    await page.setInputFiles('#file-input', TETRODE);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 120_000 });
    await page.click('.tab[data-view="run"]');
    await page.click(`${SORT_CARD} .run-button`);
    await page.waitForSelector(`${SORT_CARD}[data-state="running"]`, { timeout: 60_000 });

    // progress moves the same bar: the card is not re-rendered per message
    await page.$eval(`${SORT_CARD} progress`, (el) => ((el as HTMLElement).dataset.mark = 'first'));
    await page.waitForFunction(
      (sel) => ((document.querySelector(`${sel} progress`) as HTMLProgressElement | null)?.value ?? 0) > 0,
      SORT_CARD,
      { timeout: 600_000 },
    );
    expect(await page.$eval(`${SORT_CARD} progress`, (el) => (el as HTMLElement).dataset.mark)).toBe('first');
    expect(await page.textContent(`${SORT_CARD} .run-stage`)).toMatch(/\d+ %$/);
    // the sort is under way in its groups' workers
    await until(page, 'the sort workers to start', () => workers.some((w) => w.url.includes('sort-worker')));

    const cancelled = runWorkers();
    await page.click(`${SORT_CARD} .cancel-button`);
    await page.waitForSelector(`${SORT_CARD}[data-state="cancelled"]`, { timeout: 60_000 });
    expect(await page.textContent(`${SORT_CARD} .run-stage`)).toBe('cancelled: nothing was stored');
    await until(
      page,
      'the run worker and the sort workers to end',
      () => cancelled.every((w) => w.closed),
      60,
      () => workers,
    );
    expect(cancelled.length).toBeGreaterThanOrEqual(2); // the run worker and at least one sort worker
    expect(await page.isEnabled(`${SORT_CARD} .run-button`)).toBe(true);
    expect(await page.isDisabled(`${SORT_CARD} .cancel-button`)).toBe(true);

    // a fresh run worker lists the store: the cancelled sort left nothing there
    await page.waitForSelector('.run-results p.muted:not(:has-text("Reading"))', { timeout: 120_000 });
    expect(await page.textContent('.run-results')).toBe('No results in this browser yet.');
    expect(workers.filter((w) => w.url.includes('run-worker') && !w.closed).length).toBe(1);

    // and the views still answer: the traces draw from the file's worker
    await page.click('.tab[data-view="traces"]');
    await page.waitForFunction(
      () => Number((document.querySelector('[data-testid="traces-plot"]') as HTMLElement | null)?.dataset.drawn) >= 1,
      null,
      { timeout: 120_000 },
    );
    await page.close();
  }, 900_000);
});
