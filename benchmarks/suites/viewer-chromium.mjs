// The viewer in Debian's headless Chromium (the built site, playwright-core), on loopback:
// (a) a remote file's metadata and tree visible: time, bytes and Range requests the page read;
// (b) a 10 s × 32-channel raw window band-passed and drawn once its chunks are in the cache;
// (c) main-thread long tasks (> 50 ms, PerformanceObserver) while a sort runs from the Run tab.
// The recording is simulated (packages/sim: 8 tetrodes, 32 channels at 30 kHz, int16).
// BENCH_VIEWER_BASELINE=<git ref> also builds that ref's viewer (and the packages it uses) in a
// temporary git worktree and measures it beside this tree's in the same run, runs interleaved.
// BENCH_VIEWER_SORT=0 leaves out (c).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTetrodes, tetrodeGroups, writeSessionNwb } from '@spyglass-wasm/sim';
import { chromiumAvailable, openSite } from '../../scripts/browser-test.mjs';
import { serveFiles } from '../../scripts/range-server.mjs';
import { benchLong } from '../lib/harness.mjs';

export const name = 'viewer-chromium';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(root, 'packages/viewer/dist/');
const TETRODE = join(root, 'packages/nwb-io/test/fixtures/tetrode-session.nwb');
const SECONDS = 20,
  FS = 30000,
  TETRODES = 8;
const repeat = Number(process.env.BENCH_REPEAT ?? (benchLong ? 5 : 3));
const baselineRef = process.env.BENCH_VIEWER_BASELINE;
const withSort = process.env.BENCH_VIEWER_SORT !== '0';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run() {
  if (!chromiumAvailable() || !existsSync(join(dist, 'index.html')))
    return { tables: [], notes: ['skipped: needs /usr/bin/chromium and the built viewer (npm run build)'] };
  const baseline = baselineRef ? buildBaseline(baselineRef) : undefined;
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-viewer-'));
  const targets = [{ label: 'this tree', site: await openSite(dist) }];
  try {
    if (baseline) targets.push({ label: `baseline ${baselineRef}`, site: await openSite(baseline.dist) });
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
      // one run of each target in turn, so a busy machine slows both alike
      const opens = targets.map(() => ({ times: [], io: undefined }));
      for (let i = 0; i < repeat; i++)
        for (const [k, t] of targets.entries()) {
          const r = await openRemoteOnce(t.site, files, remote);
          opens[k].times.push(r.ms);
          opens[k].io = r.io;
        }
      const windows = [];
      for (const t of targets) windows.push(await prepareWindow(t.site, files, remote));
      const draws = targets.map(() => ({ times: [], worker: [], requests: 0 }));
      for (let i = 0; i < repeat; i++)
        for (const [k, w] of windows.entries()) {
          const r = await w.once();
          draws[k].times.push(r.ms);
          if (r.worker) draws[k].worker.push(r.worker);
          draws[k].requests += r.requests;
        }
      const infos = [];
      for (const w of windows) infos.push(await w.close());
      const sort = withSort ? await longTasksDuringSort(targets[0].site) : undefined;
      const open = opens.map((o) => ({ ms: median(o.times), io: o.io }));
      const draw = draws.map((d) => ({
        ms: median(d.times),
        requests: d.requests,
        worker: d.worker.length ? stages(d.worker) : '',
      }));
      const rows = [
        ...targets.map((t, k) => ({
          measure: 'metadata + tree of a remote file visible',
          viewer: t.label,
          median: open[k].ms,
          unit: 'ms',
          goal: '< 2000',
          'range requests': open[k].io.requests,
          'bytes read': open[k].io.bytes,
        })),
        ...targets.map((t, k) => ({
          measure: '10 s × 32 ch band-passed and drawn (chunks cached)',
          viewer: t.label,
          median: draw[k].ms,
          unit: 'ms',
          goal: '< 200',
          'range requests': draw[k].requests,
          'bytes read': draw[k].worker,
        })),
      ];
      if (sort)
        rows.push({
          measure: `main-thread long tasks > 50 ms during a sort (${sort.sortSeconds.toFixed(1)} s)`,
          viewer: targets[0].label,
          median: sort.count,
          unit: 'tasks',
          goal: '0',
          'range requests': '',
          'bytes read': `longest ${sort.longest.toFixed(0)} ms`,
        });
      return {
        tables: [{ title: `built site, Chromium headless, loopback Range server, ${repeat} runs (medians)`, rows }],
        summary: [
          baseline
            ? baselineRow('viewer: remote metadata + tree visible', open[0].ms, open[1].ms, 2000)
            : goalRow('viewer: remote metadata + tree visible', open[0].ms / 1000, 2),
          baseline
            ? baselineRow('viewer: 10 s × 32 ch band-passed + drawn', draw[0].ms, draw[1].ms, 200)
            : goalRow('viewer: 10 s × 32 ch band-passed + drawn', draw[0].ms / 1000, 0.2),
          ...(sort ? [goalRow('viewer: longest main-thread task during a sort', sort.longest / 1000, 0.05)] : []),
        ],
        notes: [
          ...(baseline
            ? [`baseline: ${baselineRef} = ${baseline.commit.slice(0, 10)}, built in a temporary worktree`]
            : []),
          `(a) from navigation to ?url= until the status line says ready and the tree lists the series; bytes and requests are what the page fetched (${(recordingBytes(recording) / 2 ** 20).toFixed(0)} MB of samples in the file)`,
          `(b) the band-pass switched off then on again over the same window: no range request during the timed redraw (requests column), so the time is reading the cached bytes (${infos[0]}) + band-pass of 32 channels × 301 500 samples + min/max decimation (the worker's share in the last column) + transfer + uPlot draw`,
          ...(sort
            ? [
                `(c) the tetrode fixture sorted from the Run tab (run worker); a PerformanceObserver('longtask') on the page counts main-thread tasks over 50 ms from the click until the run is done`,
              ]
            : []),
        ],
      };
    } finally {
      await files.close();
    }
  } finally {
    for (const t of targets) await t.site.close();
    baseline?.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Checks out `ref` in a temporary worktree and builds its viewer and the packages the viewer uses
 * (lerna, so Nx's cache serves packages that did not change). Its node_modules links to ours except
 * for the workspace packages, which are the ref's own.
 */
function buildBaseline(ref) {
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  let commit;
  try {
    commit = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`).trim();
  } catch {
    throw new Error(`BENCH_VIEWER_BASELINE: '${ref}' is not a commit of this repository`);
  }
  const tree = mkdtempSync(join(os.tmpdir(), 'bench-viewer-baseline-'));
  git('worktree', 'add', '--detach', tree, commit);
  const remove = () => {
    git('worktree', 'remove', '--force', tree);
    rmSync(tree, { recursive: true, force: true });
  };
  try {
    const modules = join(tree, 'node_modules');
    mkdirSync(join(modules, '@spyglass-wasm'), { recursive: true });
    for (const e of readdirSync(join(root, 'node_modules')))
      if (e !== '@spyglass-wasm') symlinkSync(join(root, 'node_modules', e), join(modules, e));
    for (const p of readdirSync(join(tree, 'packages')))
      symlinkSync(join(tree, 'packages', p), join(modules, '@spyglass-wasm', p));
    console.error(`building the baseline viewer (${ref} = ${commit.slice(0, 10)}) in ${tree}`);
    execFileSync('npx', ['lerna', 'run', 'build', '--scope', '@spyglass-wasm/viewer', '--include-dependencies'], {
      cwd: tree,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (err) {
    remove();
    throw err;
  }
  return { commit, dist: join(tree, 'packages/viewer/dist'), remove };
}

/** Medians of the worker's time and its stages (read, filter, decimate) over the runs, as text. */
function stages(runs) {
  const m = runs[0].map((_, j) => median(runs.map((r) => r[j])).toFixed(0));
  return Number.isNaN(runs[0][1])
    ? `worker ${m[0]} ms`
    : `worker ${m[0]} ms (read ${m[1]}, filter ${m[2]}, decimate ${m[3]})`;
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

/** A summary row against the baseline viewer measured in this run (ms in), with the absolute goal. */
function baselineRow(what, oursMs, baseMs, goalMs) {
  return {
    'kernel / step': what,
    'ours s': oursMs / 1000,
    baseline: `viewer at ${baselineRef}`,
    'baseline s': baseMs / 1000,
    'x baseline': oursMs > 0 ? baseMs / oursMs : Number.NaN,
    goal: `< ${goalMs / 1000} s`,
    met: oursMs < goalMs ? 'yes' : 'no',
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

/** (a): a fresh page (no HTTP or chunk cache carried over). */
async function openRemoteOnce(site, files, remote) {
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
  const ms = await page.evaluate(() => window.__treeShown);
  const io = { requests: files.stats.requests - before.requests, bytes: files.stats.bytes - before.bytes };
  await page.close();
  return { ms, io };
}

/**
 * (b): the window drawn once (chunks fetched); `once()` then toggles the band-pass off and, timed,
 * on again.
 */
async function prepareWindow(site, files, remote) {
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
      { timeout: 120_000 },
    );
  await waitDrawn(1);
  const first = await drawn();
  await page.fill('input.channels', '0-31');
  await page.dispatchEvent('input.channels', 'change');
  await waitDrawn(first + 1);
  return {
    async once() {
      // counted before the click: a redraw from cached chunks may be done before the next look
      const unfiltered = (await drawn()) + 1;
      await page.uncheck('#bp');
      await waitDrawn(unfiltered);
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
      // the worker's own share (read + filter + decimate), when the viewer prints it
      const worker = /worker (\d+) ms(?: \(read (\d+), filter (\d+), decimate (\d+)\))?/.exec(
        (await page.textContent('.info-line')) ?? '',
      );
      return { ms, requests: files.stats.requests - before, worker: worker?.slice(1).map(Number) };
    },
    async close() {
      const info = await page.textContent('.info-line');
      await page.close();
      if (!/band-pass/.test(info ?? '')) throw new Error(`traces: not band-passed (${info})`);
      return /chunks read \d+, from cache \d+/.exec(info ?? '')?.[0] ?? 'chunk counts not shown';
    },
  };
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
