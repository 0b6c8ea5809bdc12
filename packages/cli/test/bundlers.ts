// The browser half of the packaging test: one app, bundled from the installed tarballs by
// esbuild, vite and webpack with no configuration, then run in headless Chromium. It runs the filter
// pool of @spyglass-wasm/dsp-wasm and the sort pool of @spyglass-wasm/spike-sort, and reads NWB with
// @spyglass-wasm/nwb-io: a File on the page's main thread, a File and a URL in a module Web Worker,
// and a URL on the main thread (a typed error).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../../scripts/pack-packages.mjs';

/**
 * What the NWB checks compare between Node and the browser: the first ElectricalSeries (path, shape,
 * dtype, rate), a window of it in microvolts and the electrodes table. `openNwb` is passed in, so the
 * same source runs in the app, its worker and a Node script.
 */
export const SUMMARIZE_NWB = `async function summarizeNwb(openNwb, source) {
  const nwb = await openNwb(source);
  try {
    const [raw] = nwb.electricalSeries();
    const window = nwb.series(raw.path).read({ rows: [30000, 30256], channels: [0, 1, 2, 3], scale: 'microvolts' });
    const electrodes = nwb.electrodes();
    let sum = 0;
    for (const v of window.data) sum += v;
    const transfer = nwb.transfer();
    return {
      identifier: nwb.metadata.identifier,
      series: { path: raw.path, kind: raw.kind, shape: raw.shape, dtype: raw.dtype, rate: raw.timing.rate },
      window: { rows: window.rows, cols: window.cols, first: Array.from(window.data.subarray(0, 8)), sum },
      electrodes: { rows: electrodes.ids.length, groups: electrodes.groupNames, locations: electrodes.locations },
      lazy: transfer ? transfer.bytes < transfer.size : null,
    };
  } finally {
    nwb.close();
  }
}`;

/**
 * What the sort checks compare between Node and the browser: two small simulated groups sorted with
 * sortGroup (in Node on this thread, in the browser on a pool of 2 workers), each unit's spike
 * times, peak channel and template, the labels and noise levels.
 */
export const SORT_GROUPS = `const sortGroups = (simulateStream) =>
  [5, 6].map((seed) => {
    const s = simulateStream({ seed, seconds: 3, units: 2 });
    return { x: s.read(0, s.rows), fs: s.fs };
  });
const summarizeSorting = (g) => ({
  units: g.units.map((u) => ({ samples: Array.from(u.samples), peak: u.peakChannel, template: Array.from(u.template) })),
  labels: Array.from(g.labels),
  noise: Array.from(g.noise),
});`;

/** The module worker: summarizes the File or URL it is sent, or answers the error's name and message. */
const NWB_WORKER = `import { openNwb } from '@spyglass-wasm/nwb-io';
${SUMMARIZE_NWB}
self.onmessage = async ({ data }) => {
  try {
    self.postMessage({ summary: await summarizeNwb(openNwb, data) });
  } catch (err) {
    self.postMessage({ error: (err.code ?? err.name) + ': ' + err.message });
  }
};
`;

/**
 * The app: the filter pool against one thread, the sort pool, workers that 404, and NWB from a File
 * and a URL. `pools` is the source of the options both pools get (`{ filter, sort }`).
 */
function appSource(pools: string): string {
  return `import { NwbFormatError, ParameterError, WorkerError } from '@spyglass-wasm/core';
import { butter, createFilterPool, dspKernels, sosfiltfilt, sosfiltfiltParallel } from '@spyglass-wasm/dsp-wasm';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { simulateStream } from '@spyglass-wasm/sim';
import { createSortPool } from '@spyglass-wasm/spike-sort';

const pools = ${pools};

window.runFilter = async () => {
  await dspKernels.ready();
  const sos = butter(4, [600, 6000], { btype: 'bandpass', fs: 30000 });
  const x = { data: Float64Array.from({ length: 2000 * 4 }, (_, i) => Math.sin(i * 0.37) + (i % 7) / 7), rows: 2000, cols: 4 };
  const pool = await createFilterPool({ size: 2, ...pools.filter });
  try {
    const y = await sosfiltfiltParallel(sos, x, { pool });
    const one = sosfiltfilt(sos, x);
    return { values: y.data.length, equal: y.data.every((v, i) => v === one.data[i]) };
  } finally {
    await pool.terminate();
  }
};
window.runMissingWorker = () =>
  createFilterPool({ size: 1, worker: new URL('./no-such-worker.js', location.href) }).then(
    () => 'resolved',
    (err) => (err instanceof WorkerError ? 'WorkerError: ' + err.message : 'other: ' + err),
  );

${SORT_GROUPS}
window.runSort = async () => {
  const pool = await createSortPool({ size: 2, ...pools.sort });
  try {
    const sortings = await pool.map(sortGroups(simulateStream), (api, g) => api.sortGroup(g.x, { fs: g.fs }));
    return sortings.map(summarizeSorting);
  } finally {
    await pool.terminate();
  }
};
window.runMissingSortWorker = () =>
  createSortPool({ size: 2, worker: new URL('./no-such-sort-worker.js', location.href) }).then(
    () => 'resolved',
    (err) => (err instanceof WorkerError ? 'WorkerError: ' + err.message : 'other: ' + err),
  );

${SUMMARIZE_NWB}
const fileAt = async (url) => new File([await (await fetch(url)).blob()], url.split('/').pop());
const inWorker = (source) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./nwb-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => (worker.terminate(), resolve(data));
    worker.onerror = (event) => (worker.terminate(), reject(new Error('nwb worker: ' + event.message)));
    worker.postMessage(source);
  });
window.nwbFileOnPage = async (url) => ({ summary: await summarizeNwb(openNwb, await fileAt(url)) });
window.nwbFileInWorker = async (url) => inWorker(await fileAt(url));
window.nwbUrlInWorker = (url) => inWorker(new URL(url, location.href).href);
// a path needs Node: the browser build says so instead of reaching for node:fs
window.nwbPathOnPage = (path) =>
  openNwb(path).then(
    (nwb) => (nwb.close(), { opened: true }),
    (err) => ({ error: err.code + ': ' + err.message, nwbFormatError: err instanceof NwbFormatError }),
  );
window.nwbUrlOnPage = (url) =>
  openNwb(new URL(url, location.href).href).then(
    (nwb) => (nwb.close(), { opened: true }),
    (err) => ({ error: err.code + ': ' + err.message, parameterError: err instanceof ParameterError }),
  );
`;
}

const bin = (...path: string[]) => join(ROOT, 'node_modules', ...path);
const run = (cwd: string, args: string[], command = process.execPath) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

/** Each bundler: writes its site under `app` and builds it; returns the folder to serve and the page. */
export const BUNDLERS: Record<string, (app: string) => { root: string; page: string }> = {
  // esbuild does not follow new URL(..., import.meta.url): each worker export is an entry of its own
  esbuild(app) {
    const dir = join(app, 'site-esbuild');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'app.js'),
      appSource(
        `{ filter: { worker: new URL('./worker.js', import.meta.url) }, sort: { worker: new URL('./sort-worker.js', import.meta.url) } }`,
      ),
    );
    writeFileSync(join(dir, 'nwb-worker.js'), NWB_WORKER);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./out/app.js"></script>');
    run(
      dir,
      [
        'app.js',
        'nwb-worker.js',
        'worker=@spyglass-wasm/dsp-wasm/worker',
        'sort-worker=@spyglass-wasm/spike-sort/worker',
        '--bundle',
        '--format=esm',
        '--platform=browser',
        '--outdir=out',
        '--log-level=error',
      ],
      bin('.bin', 'esbuild'),
    );
    return { root: dir, page: 'index.html' };
  },
  vite(app) {
    const dir = join(app, 'site-vite');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.js'), appSource('{ filter: {}, sort: {} }'));
    writeFileSync(join(dir, 'nwb-worker.js'), NWB_WORKER);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./app.js"></script>');
    run(dir, [bin('vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error']);
    return { root: join(dir, 'dist'), page: 'index.html' };
  },
  webpack(app) {
    const dir = join(app, 'site-webpack');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src', 'index.js'), appSource('{ filter: {}, sort: {} }'));
    writeFileSync(join(dir, 'src', 'nwb-worker.js'), NWB_WORKER);
    // no webpack.config.js: src/index.js -> dist/main.js
    run(dir, [bin('webpack-cli', 'bin', 'cli.js'), '--mode', 'production', '--no-stats']);
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><script src="./main.js"></script>');
    return { root: join(dir, 'dist'), page: 'index.html' };
  },
};

/**
 * provenance and pipelines in a page, bundled by vite with no configuration (as the viewer is): the
 * embedded store in memory records a result and finds it with its lineage. (esbuild and webpack need
 * one setting for PGlite's own `node:module` import: see provenance's README.)
 */
export function storeSiteByVite(app: string): { root: string; page: string } {
  const dir = join(app, 'site-vite-store');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'app.js'),
    `import { lineageGraph, openStore } from '@spyglass-wasm/provenance';
import { analysisNwb, MAIN_PIPELINE } from '@spyglass-wasm/pipelines';

window.recordResult = async () => {
  const store = await openStore({ store: 'memory://' });
  try {
    const activity = {
      key: 'blake3:k1', step: 'lfp', version: { package: '@spyglass-wasm/dsp-wasm', packageVersion: '0.1.0', wasm: {} },
      params: { targetFs: 1000 }, paramsHash: 'blake3:p', inputs: { raw: 'file:blake3:f' }, outputs: ['result:blake3:k1'],
      startedAt: new Date(0).toISOString(), endedAt: new Date(1).toISOString(), agent: 'bundle-test',
      runtime: { platform: 'browser', runtime: 'browser' },
    };
    const committed = await store.commitResult(
      [{ id: 'file:blake3:f', kind: 'file', label: 'session.nwb', checksum: 'blake3:f' }],
      activity,
      { key: 'blake3:k1', step: 'lfp', file: 'lfp-k1.sgr', checksum: 'blake3:c1', summary: { channels: 8 } },
    );
    const found = await store.getResult('blake3:k1');
    const graph = await lineageGraph(store, 'blake3:k1');
    return {
      committed,
      summary: found.summary,
      kinds: graph.nodes.map((n) => n.kind).sort(),
      pipelines: typeof analysisNwb === 'function' && MAIN_PIPELINE.startsWith('name: main'),
    };
  } finally {
    await store.close();
  }
};
`,
  );
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./app.js"></script>');
  run(dir, [bin('vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error']);
  return { root: join(dir, 'dist'), page: 'index.html' };
}
