// The browser half of the packaging test: one app, bundled from the installed tarballs by
// esbuild, vite and webpack with no configuration, then run in headless Chromium.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../../scripts/pack-packages.mjs';

/** The app: the filter pool of @spyglass-wasm/dsp-wasm against one thread, and a worker that 404s. */
function appSource(poolOptions: string): string {
  return `import { WorkerError } from '@spyglass-wasm/core';
import { butter, createFilterPool, dspKernels, sosfiltfilt, sosfiltfiltParallel } from '@spyglass-wasm/dsp-wasm';

window.runFilter = async () => {
  await dspKernels.ready();
  const sos = butter(4, [600, 6000], { btype: 'bandpass', fs: 30000 });
  const x = { data: Float64Array.from({ length: 2000 * 4 }, (_, i) => Math.sin(i * 0.37) + (i % 7) / 7), rows: 2000, cols: 4 };
  const pool = await createFilterPool({ size: 2, ...${poolOptions} });
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
`;
}

const bin = (...path: string[]) => join(ROOT, 'node_modules', ...path);
const run = (cwd: string, args: string[], command = process.execPath) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

/** Each bundler: writes its site under `app` and builds it; returns the folder to serve and the page. */
export const BUNDLERS: Record<string, (app: string) => { root: string; page: string }> = {
  // esbuild does not follow new URL(..., import.meta.url): the worker export is a second entry
  esbuild(app) {
    const dir = join(app, 'site-esbuild');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.js'), appSource(`{ worker: new URL('./worker.js', import.meta.url) }`));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./out/app.js"></script>');
    run(
      dir,
      [
        'app.js',
        'worker=@spyglass-wasm/dsp-wasm/worker',
        '--bundle',
        '--format=esm',
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
    writeFileSync(join(dir, 'app.js'), appSource('{}'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./app.js"></script>');
    run(dir, [bin('vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error']);
    return { root: join(dir, 'dist'), page: 'index.html' };
  },
  webpack(app) {
    const dir = join(app, 'site-webpack');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src', 'index.js'), appSource('{}'));
    // no webpack.config.js: src/index.js -> dist/main.js
    run(dir, [bin('webpack-cli', 'bin', 'cli.js'), '--mode', 'production', '--no-stats']);
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><script src="./main.js"></script>');
    return { root: join(dir, 'dist'), page: 'index.html' };
  },
};
