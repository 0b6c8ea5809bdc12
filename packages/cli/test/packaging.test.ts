// The packages as a user gets them: `npm pack` each publishable package, install the tarballs
// into a fresh project offline (from the npm cache `npm ci` filled), then use them from
// CommonJS, from ESM and from TypeScript under node16 resolution. Needs `npm run build` first.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, chromiumAvailable, launchChromium } from '../../../scripts/browser-test.mjs';
import { packPackages, ROOT } from '../../../scripts/pack-packages.mjs';
import { serveFiles } from '../../nwb-io/test/http-server.js';
import { BUNDLERS, SORT_GROUPS, storeSiteByVite, SUMMARIZE_NWB } from './bundlers.js';
import { installOffline, writeConsumerProject, type Tarball } from './consumer-project.js';
import { expectReadmeFigures } from './readme-figures.js';

// the project's own simulated session (8 channels, 30 kHz, two tetrodes)
const SESSION = join(ROOT, 'packages', 'nwb-io', 'test', 'fixtures', 'tetrode-session.nwb');

let workDir = '';
let app = '';
let tarballs: Tarball[] = [];

/** Runs a file with this node in the consumer project; returns what it printed as JSON. */
function runNode(file: string, source: string): unknown {
  writeFileSync(join(app, file), source);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: app, encoding: 'utf8' }));
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'spyglass-packaging-'));
  tarballs = packPackages(workDir);
  app = join(workDir, 'app');
  writeConsumerProject(app, tarballs);
  installOffline(app);
}, 240_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('packed packages installed into a fresh project', () => {
  it('every tarball ships dist/, README.md and LICENSE and the metadata a registry shows; the viewer stays private', () => {
    for (const t of tarballs) {
      const files = execFileSync('tar', ['-tzf', t.tarball], { encoding: 'utf8' }).split('\n');
      expect(files, t.name).toEqual(expect.arrayContaining(['package/LICENSE', 'package/README.md']));
      expect(
        files.some((f) => f.startsWith('package/dist/index.')),
        t.name,
      ).toBe(true);
      for (const key of ['description', 'license', 'repository', 'homepage', 'bugs', 'keywords', 'engines'])
        expect(t.manifest[key], `${t.name}: ${key}`).toBeTruthy();
    }
    expect(tarballs.map((t) => t.name)).not.toContain('@spyglass-wasm/viewer');
  });

  it('require() from CommonJS exposes named exports of every package', () => {
    const names = tarballs.map((t) => t.name);
    const seen = runNode(
      'check.cjs',
      `const names = ${JSON.stringify(names)};
       const core = require('@spyglass-wasm/core');
       const e = new core.ParameterError('window', 'a positive number', -1);
       console.log(JSON.stringify({
         counts: Object.fromEntries(names.map((n) => [n, Object.keys(require(n)).length])),
         isSpyglassError: e instanceof core.SpyglassError,
         median: core.median(new Float64Array([3, 1, 2])),
       }));`,
    ) as { counts: Record<string, number>; isSpyglassError: boolean; median: number };
    for (const name of names) expect(seen.counts[name], name).toBeGreaterThan(0);
    expect(seen.isSpyglassError).toBe(true);
    expect(seen.median).toBe(2);
  });

  it('import from ESM exposes named exports, from the ESM build and from the CJS build', () => {
    const seen = runNode(
      'check.mjs',
      `import { median, ParameterError } from '@spyglass-wasm/core';
       import { createRequire } from 'node:module';
       import { pathToFileURL } from 'node:url';
       const cjsPath = createRequire(import.meta.url).resolve('@spyglass-wasm/core');
       const cjs = await import(pathToFileURL(cjsPath).href);
       console.log(JSON.stringify({
         median: median(new Float64Array([3, 1, 2])),
         error: typeof ParameterError,
         cjsPath: cjsPath.endsWith('.cjs'),
         cjsNamed: typeof cjs.median === 'function' && typeof cjs.ParameterError === 'function',
       }));`,
    );
    expect(seen).toEqual({ median: 2, error: 'function', cjsPath: true, cjsNamed: true });
  });

  it('TypeScript (module node16) type-checks a .cts and a .mts file against the packed types', () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['typed.cts', 'typed.mts'],
      }),
    );
    const body = `
      const error: InstanceType<typeof SpyglassError> = new ParameterError('window', 'a positive number', -1);
      const middle: number = median(new Float64Array([3, 1, 2]));
      export { error, middle };
    `;
    writeFileSync(
      join(app, 'typed.cts'),
      `import { median, ParameterError, SpyglassError } from '@spyglass-wasm/core';\n${body}`,
    );
    writeFileSync(
      join(app, 'typed.mts'),
      `import { median, ParameterError, SpyglassError } from '@spyglass-wasm/core';\n${body}`,
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe(''); // the diagnostics (e.g. TS1479), if any
    expect(run.status).toBe(0);
  });

  it('the spyglass bin prints the version', () => {
    const version = tarballs.find((t) => t.name === '@spyglass-wasm/cli')!.version;
    const bin = join(app, 'node_modules', '@spyglass-wasm', 'cli', 'dist', 'bin.js');
    expect(existsSync(join(app, 'node_modules', '.bin', 'spyglass'))).toBe(true);
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })).toBe(`${version}\n`);
  });

  it("a minified esbuild bundle keeps the error classes' names and codes", () => {
    writeFileSync(
      join(app, 'errors-entry.mjs'),
      `import { NwbFormatError, ParameterError, SpyglassError, StoreError, WorkerError } from '@spyglass-wasm/core';
       const errors = [
         new ParameterError('window', 'a positive number', -1),
         new NwbFormatError('a.nwb', '/acquisition', 'a group'),
         new StoreError('locked'),
         new WorkerError('worker.js failed to load'),
         new SpyglassError('E_NODE_ONLY', 'needs Node'),
       ];
       console.log(JSON.stringify(errors.map((e) => [e.name, e.code, String(e).split(':')[0], e.stack.split(':')[0]])));`,
    );
    const esbuild = join(ROOT, 'node_modules', '.bin', 'esbuild');
    const bundle = [
      'errors-entry.mjs',
      '--bundle',
      '--minify',
      '--format=esm',
      '--platform=node',
      '--outfile=errors-min.mjs',
      '--log-level=error',
    ];
    execFileSync(esbuild, bundle, { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    // the minifier did rename the classes: a name taken from the class would print as a letter
    expect(readFileSync(join(app, 'errors-min.mjs'), 'utf8')).not.toMatch(/class ParameterError\b/);
    const seen = JSON.parse(execFileSync(process.execPath, ['errors-min.mjs'], { cwd: app, encoding: 'utf8' }));
    expect(seen).toEqual(
      [
        ['ParameterError', 'E_PARAMETER'],
        ['NwbFormatError', 'E_NWB_FORMAT'],
        ['StoreError', 'E_STORE'],
        ['WorkerError', 'E_WORKER'],
        ['SpyglassError', 'E_NODE_ONLY'],
      ].map(([name, code]) => [name, code, name, name]),
    );
  });

  it('esbuild --platform=browser bundles every library with no Node built-in and no h5wasm/node', () => {
    const browserPackages = tarballs.map((t) => t.name).filter((name) => name !== '@spyglass-wasm/cli');
    const entry = join(app, 'browser-entry.mjs');
    writeFileSync(
      entry,
      browserPackages.map((name, i) => `import * as p${i} from '${name}';`).join('\n') +
        `\nexport const sizes = [${browserPackages.map((_, i) => `Object.keys(p${i}).length`).join(', ')}];\n`,
    );
    const outfile = join(app, 'browser-bundle.js');
    // PGlite's own Emscripten glue (provenance's embedded store) has `await import('node:module')`
    // behind its Node check, which its package.json `browser` map misses: the one module left out.
    expect(() => bundleForBrowser(entry, outfile, { builtins: [], external: ['node:module'] })).not.toThrow();
    const bundle = readFileSync(outfile, 'utf8');
    // every module the bundle still imports (Emscripten's `require` calls are its own createRequire's)
    const imported = new Set([...bundle.matchAll(/(?:\bimport\(|\bfrom )\s*"([^"]+)"/g)].map((m) => m[1]));
    expect([...imported]).toEqual(['node:module']);
    expect(bundle).not.toContain('h5wasm/dist/node');
  });
});
describe('the demo from the installed tarballs, outside the repository', () => {
  it("`npx spyglass demo` runs the bundled sessions and prints the README's figures", () => {
    const store = join(workDir, 'demo-store');
    const demo = (...args: string[]) =>
      execFileSync('npx', ['--offline', 'spyglass', 'demo', '--store', store, ...args], {
        cwd: app,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        shell: process.platform === 'win32',
      });
    const text = demo();
    // the second run reuses every result and gives the same figures as JSON
    const json = JSON.parse(demo('--json')) as { file: string; cached: boolean; figures: Record<string, number> };
    expect(json.cached).toBe(true);
    expect(json.file).toBe(join(app, 'node_modules', '@spyglass-wasm', 'cli', 'dist', 'demo', 'tetrode-session.nwb'));
    const f = json.figures;
    expectReadmeFigures(f);
    const lines = text.split('\n');
    for (const figure of [
      `${f.ripples} sharp-wave ripples (${f.simulatedRipples} simulated) in the ${f.sessionSeconds} s session`,
      `${f.units} units; metric curation accepts ${f.accepted} (${f.simulatedUnits} simulated)`,
      `and ${f.noise} noise`,
      `last ${f.heldOutPercent} % (${f.heldOutSeconds} s): median error ${f.medianErrorCm} cm while running`,
      `(linear-track-units.nwb): median error ${f.trackMedianErrorCm} cm while running`,
    ])
      expect(
        lines.some((l) => l.includes(figure)),
        figure,
      ).toBe(true);
  }, 900_000);
});

/** sortGroup on this thread in Node, from the installed tarballs: what every sort pool must give. */
const sortInNode = () =>
  runNode(
    'sort.mjs',
    `import { simulateStream } from '@spyglass-wasm/sim';
     import { sortGroup } from '@spyglass-wasm/spike-sort';
     ${SORT_GROUPS}
     console.log(JSON.stringify(sortGroups(simulateStream).map((g) => summarizeSorting(sortGroup(g.x, { fs: g.fs })))));`,
  );

describe('the filter and sort worker pools from the installed tarballs', () => {
  it("runs from ESM and from CommonJS in Node (worker_threads, the package's own worker)", () => {
    const body = `const x = { data: Float64Array.from({ length: 4000 }, (_, i) => Math.sin(i * 0.37)), rows: 1000, cols: 4 };
      const sos = dsp.butter(4, [600, 6000], { btype: 'bandpass', fs: 30000 });
      const pool = await dsp.createFilterPool({ size: 2 });
      const y = await dsp.sosfiltfiltParallel(sos, x, { pool });
      await pool.terminate();
      const one = dsp.sosfiltfilt(sos, x);
      console.log(JSON.stringify({ equal: y.data.every((v, i) => v === one.data[i]) }));`;
    expect(runNode('pool.mjs', `import * as dsp from '@spyglass-wasm/dsp-wasm';\n${body}`)).toEqual({ equal: true });
    expect(
      runNode('pool.cjs', `const dsp = require('@spyglass-wasm/dsp-wasm');\n(async () => { ${body} })();`),
    ).toEqual({ equal: true });
  });

  it("the sort pool runs from ESM and from CommonJS in Node (the package's own worker), equal to sortGroup here", () => {
    const body = `${SORT_GROUPS}
      const pool = await spikeSort.createSortPool({ size: 2 });
      const sortings = await pool.map(sortGroups(sim.simulateStream), (api, g) => api.sortGroup(g.x, { fs: g.fs }));
      await pool.terminate();
      console.log(JSON.stringify(sortings.map(summarizeSorting)));`;
    const here = sortInNode();
    expect((here as unknown[]).length).toBe(2);
    expect(
      runNode(
        'sort-pool.mjs',
        `import * as spikeSort from '@spyglass-wasm/spike-sort';\nimport * as sim from '@spyglass-wasm/sim';\n${body}`,
      ),
    ).toEqual(here);
    expect(
      runNode(
        'sort-pool.cjs',
        `const spikeSort = require('@spyglass-wasm/spike-sort');\nconst sim = require('@spyglass-wasm/sim');\n(async () => { ${body} })();`,
      ),
    ).toEqual(here);
  }, 120_000);
});

describe.runIf(chromiumAvailable())('bundled for the browser by esbuild, vite and webpack, run in Chromium', () => {
  let inNode: unknown;
  let sortedInNode: unknown;
  beforeAll(() => {
    sortedInNode = sortInNode();
    // the same summary of the same file from the installed tarball in Node: what every browser read must give
    inNode = runNode(
      'nwb.mjs',
      `import { openNwb } from '@spyglass-wasm/nwb-io';
       ${SUMMARIZE_NWB}
       console.log(JSON.stringify(await summarizeNwb(openNwb, ${JSON.stringify(SESSION)})));`,
    );
  }, 60_000);

  for (const [name, build] of Object.entries(BUNDLERS)) {
    it(`${name}: the filter and sort pools equal one thread in Node, workers that 404 reject; NWB from a File and a URL`, async () => {
      const site = build(app);
      symlinkSync(SESSION, join(site.root, 'session.nwb'));
      const server = await serveFiles(site.root);
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await page.goto(`${server.url}/${site.page}`);
        await page.waitForFunction(() => 'runFilter' in window, undefined, { timeout: 60_000 });
        type Win = {
          runFilter(): Promise<unknown>;
          runMissingWorker(): Promise<string>;
          runSort(): Promise<unknown>;
          runMissingSortWorker(): Promise<string>;
        };
        expect(await page.evaluate(() => (window as unknown as Win).runFilter())).toEqual({
          values: 8000,
          equal: true,
        });
        expect(await page.evaluate(() => (window as unknown as Win).runMissingWorker())).toMatch(
          /^WorkerError: .*no-such-worker\.js failed to load/,
        );
        // the sort pool: the package's worker, emitted by the bundler (esbuild: an entry of its own)
        expect(await page.evaluate(() => (window as unknown as Win).runSort())).toEqual(sortedInNode);
        expect(await page.evaluate(() => (window as unknown as Win).runMissingSortWorker())).toMatch(
          /^WorkerError: .*no-such-sort-worker\.js failed to load/,
        );

        const nwb = (fn: string) =>
          page.evaluate(
            ([f, url]) => (window as unknown as Record<string, (u: string) => Promise<unknown>>)[f](url),
            [fn, 'session.nwb'],
          );
        // a File: copied into h5wasm's memory on the page, mounted without a copy (WORKERFS) in a worker
        expect(await nwb('nwbFileOnPage')).toEqual({ summary: inNode });
        expect(await nwb('nwbFileInWorker')).toEqual({ summary: inNode });
        // a URL: read lazily with Range requests in a worker; the page's main thread gets a typed error
        expect(await nwb('nwbUrlInWorker')).toEqual({ summary: { ...(inNode as object), lazy: true } });
        expect(await nwb('nwbUrlOnPage')).toEqual({
          error: expect.stringMatching(/^E_PARAMETER: parameter 'source': expected a URL opened in a Web Worker/),
          parameterError: true,
        });
        expect(await nwb('nwbPathOnPage')).toEqual({
          error: 'E_NWB_FORMAT: session.nwb: /: expected bytes, a Blob or a URL in a browser (a path needs Node)',
          nwbFormatError: true,
        });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
        await server.close();
      }
    }, 240_000);
  }

  it('vite: provenance and pipelines in a page; the embedded store records a result and its lineage', async () => {
    const site = storeSiteByVite(app);
    const server = await serveFiles(site.root);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(`${server.url}/${site.page}`);
      await page.waitForFunction(() => 'recordResult' in window, undefined, { timeout: 60_000 });
      expect(
        await page.evaluate(() => (window as unknown as { recordResult(): Promise<unknown> }).recordResult()),
      ).toEqual({
        committed: true,
        summary: { channels: 8 },
        kinds: ['code', 'file', 'paramset', 'result'],
        pipelines: true,
      });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 240_000);
});
