// The viewer in Debian's headless Chromium (the built site, playwright-core), on loopback:
// (a) a remote file's metadata and tree visible: time, bytes and Range requests the page read;
// (b) a 10 s × 32-channel raw window band-passed and drawn once its chunks are in the cache;
// (c) main-thread long tasks (> 50 ms, PerformanceObserver) while a sort runs from the Run tab.
// The recording is simulated (packages/sim: 8 tetrodes, 32 channels at 30 kHz, int16).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTetrodes, tetrodeGroups, writeSessionNwb } from '@spyglass-wasm/sim';
import { chromiumAvailable, openSite } from '../../scripts/browser-test.mjs';
import { serveFiles } from '../../scripts/range-server.mjs';

export const name = 'viewer-chromium';

const dist = fileURLToPath(new URL('../../packages/viewer/dist/', import.meta.url));
const TETRODE = fileURLToPath(new URL('../../packages/nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
const SECONDS = 20,
  FS = 30000,
  TETRODES = 8;
const repeat = Number(process.env.BENCH_REPEAT ?? 5);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  if (!chromiumAvailable() || !existsSync(join(dist, 'index.html')))
    return { tables: [], notes: ['skipped: needs /usr/bin/chromium and the built viewer (npm run build)'] };
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-viewer-'));
  const site = await openSite(dist);
  try {
    const recording = renderTetrodes({
      seed: 7,
      fs: FS,
      nTetrodes: TETRODES,
      start: 0,
      seconds: SECONDS,
      units: [],
      ripples: [],
      thetaPeriods: [],
    });
    await writeSessionNwb(
      { description: 'viewer benchmark: 32 channels', electrodeGroups: tetrodeGroups(TETRODES), recording },
      join(dir, 'probe32.nwb'),
      { identifier: 'viewer-bench' },
    );
    const files = await serveFiles(dir);
    try {
      const remote = `${files.url}/probe32.nwb`;
      const open = await openRemote(site, files, remote);
      const draw = await drawWindow(site, files, remote);
      const sort = await longTasksDuringSort(site);
      const rows = [
        {
          measure: 'metadata + tree of a remote file visible',
          median: open.ms,
          unit: 'ms',
          goal: '< 2000',
          ...open.io,
        },
        {
          measure: '10 s × 32 ch band-passed and drawn (chunks cached)',
          median: draw.ms,
          unit: 'ms',
          goal: '< 200',
          ...draw.io,
        },
        {
          measure: `main-thread long tasks > 50 ms during a sort (${sort.sortSeconds.toFixed(1)} s)`,
          median: sort.count,
          unit: 'tasks',
          goal: '0',
          'range requests': '',
          'bytes read': `longest ${sort.longest.toFixed(0)} ms`,
        },
      ];
      return {
        tables: [{ title: `built site, Chromium headless, loopback Range server, ${repeat} runs (medians)`, rows }],
        summary: [
          goalRow('viewer: remote metadata + tree visible', open.ms / 1000, 2),
          goalRow('viewer: 10 s × 32 ch band-passed + drawn', draw.ms / 1000, 0.2),
          goalRow('viewer: longest main-thread task during a sort', sort.longest / 1000, 0.05),
        ],
        notes: [
          `(a) from navigation to ?url= until the status line says ready and the tree lists the series; bytes and requests are what the page fetched (${(recordingBytes(recording) / 2 ** 20).toFixed(0)} MB of samples in the file)`,
          `(b) the band-pass switched off then on again over the same window: no range request during the timed redraw (requests column), so the time is reading the cached bytes (${draw.info}) + Butterworth sosfiltfilt of 32 channels × 301 500 samples + min/max decimation + transfer + uPlot draw`,
          `(c) the tetrode fixture sorted from the Run tab (run worker); a PerformanceObserver('longtask') on the page counts main-thread tasks over 50 ms from the click until the run is done`,
        ],
      };
    } finally {
      await files.close();
    }
  } finally {
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const recordingBytes = (r) => r.rows * r.channels * 2;

/** A summary row against an absolute goal (seconds) rather than a baseline measured in the run. */
function goalRow(what, seconds, below) {
  return {
    'kernel / step': what,
    'ours s': seconds,
    baseline: `goal < ${below} s`,
    'baseline s': below,
    'x baseline': seconds > 0 ? below / seconds : Number.NaN,
    goal: `< ${below} s`,
    met: seconds < below ? 'yes' : 'no',
  };
}

async function newPage(site) {
  const page = await site.browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  page.on('pageerror', (err) => console.error('page error:', err.message));
  return page;
}

async function ready(page) {
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 120_000 });
  if ((await page.getAttribute('#status', 'data-state')) === 'error')
    throw new Error(`viewer: ${await page.textContent('#status')}`);
}

/** (a): a fresh page per run (no HTTP or chunk cache carried over). */
async function openRemote(site, files, remote) {
  const times = [],
    io = [];
  for (let i = 0; i < repeat; i++) {
    const page = await newPage(site);
    // the moment the tree lists the series, taken in the page (ms since navigation started)
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector('.tree-label[data-path="/acquisition/e-series"]')) {
          window.__treeShown = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const before = { requests: files.stats.requests, bytes: files.stats.bytes };
    await page.goto(`${site.url}/index.html?url=${encodeURIComponent(remote)}`);
    await ready(page);
    await page.waitForFunction(() => window.__treeShown !== undefined);
    times.push(await page.evaluate(() => window.__treeShown));
    io.push({ requests: files.stats.requests - before.requests, bytes: files.stats.bytes - before.bytes });
    await page.close();
  }
  const last = io[io.length - 1];
  return { ms: median(times), io: { 'range requests': last.requests, 'bytes read': last.bytes } };
}

/** (b): the window drawn once (chunks fetched), then the band-pass toggled off and, timed, on again. */
async function drawWindow(site, files, remote) {
  const page = await newPage(site);
  await page.goto(
    `${site.url}/index.html?url=${encodeURIComponent(remote)}&view=traces&path=/acquisition/e-series&t=0&dur=10`,
  );
  await ready(page);
  await page.waitForSelector('[data-testid="traces-plot"]');
  const drawn = () => page.$eval('[data-testid="traces-plot"]', (el) => Number(el.dataset.drawn ?? 0));
  const waitDrawn = (n) =>
    page.waitForFunction(
      (k) => Number(document.querySelector('[data-testid="traces-plot"]')?.dataset.drawn ?? 0) >= k,
      n,
      {
        timeout: 120_000,
      },
    );
  await waitDrawn(1);
  await page.fill('input.channels', '0-31');
  await page.dispatchEvent('input.channels', 'change');
  await waitDrawn(2);
  const times = [];
  let requests = 0;
  for (let i = 0; i < repeat; i++) {
    await page.uncheck('#bp');
    await waitDrawn((await drawn()) + 1);
    const n = await drawn();
    const before = files.stats.requests;
    const ms = await page.evaluate(
      (k) =>
        new Promise((resolve) => {
          const box = document.querySelector('[data-testid="traces-plot"]');
          const t0 = performance.now();
          new MutationObserver((_, obs) => {
            if (Number(box.dataset.drawn) > k) {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          }).observe(box, { attributes: true, attributeFilter: ['data-drawn'] });
          document.querySelector('#bp').click();
        }),
      n,
    );
    requests += files.stats.requests - before;
    times.push(ms);
  }
  const info = await page.textContent('.info-line');
  await page.close();
  if (!/band-pass/.test(info ?? '')) throw new Error(`traces: not band-passed (${info})`);
  const chunks = /chunks read \d+, from cache \d+/.exec(info ?? '')?.[0] ?? 'chunk counts not shown';
  return { ms: median(times), info: chunks, io: { 'range requests': requests, 'bytes read': '' } };
}

/** (c): long tasks on the page's main thread from the sort's click until its card says done. */
async function longTasksDuringSort(site) {
  const page = await newPage(site);
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${site.url}/index.html`);
  await page.setInputFiles('#file-input', TETRODE);
  await ready(page);
  await page.click('.tab[data-view="run"]');
  const start = await page.evaluate(() => performance.now());
  await page.click('.run-card[data-pipeline="sort"] .run-button');
  await page.waitForSelector(
    '.run-card[data-pipeline="sort"][data-state="done"], .run-card[data-pipeline="sort"][data-state="error"]',
    { timeout: 900_000 },
  );
  const end = await page.evaluate(() => performance.now());
  if (await page.locator('.run-card[data-pipeline="sort"] .run-error').count())
    throw new Error(`sort: ${await page.textContent('.run-card[data-pipeline="sort"] .run-error')}`);
  const tasks = (await page.evaluate(() => window.__longTasks)).filter((t) => t.start >= start && t.start <= end);
  await page.close();
  return {
    count: tasks.length,
    longest: tasks.length ? Math.max(...tasks.map((t) => t.ms)) : 0,
    sortSeconds: (end - start) / 1000,
  };
}
