// What the browser tests share: Debian's Chromium (installed by scripts/setup-system.sh), launched
// headless with playwright-core and the flags this closed network needs, and esbuild bundling of
// a test entry for the browser (Node built-ins left out: the browser path never imports them).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run here; in CI a missing Chromium is an error, not a skip. */
export function chromiumAvailable() {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error('CI needs Debian chromium for the browser tests: run scripts/setup-system.sh');
  return false;
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

const NODE_BUILTINS = [
  'node:*',
  'os',
  'fs',
  'path',
  'url',
  'module',
  'crypto',
  'worker_threads',
  'child_process',
  'h5wasm/node',
];

/**
 * Bundles `entry` (TypeScript) to an ES module for the browser at `outfile`; `external` modules
 * are left out as well, and `alias` maps module names to folders.
 */
export function bundleForBrowser(entry, outfile, { external = [], alias = {}, builtins = NODE_BUILTINS } = {}) {
  const esbuild = fileURLToPath(new URL('../node_modules/.bin/esbuild', import.meta.url));
  const flags = [
    ...[...builtins, ...external].map((m) => `--external:${m}`),
    ...Object.entries(alias).map(([name, to]) => `--alias:${name}=${to}`),
  ];
  execFileSync(esbuild, [
    entry,
    '--bundle',
    '--format=esm',
    '--platform=browser',
    `--outfile=${outfile}`,
    ...flags,
    '--log-level=error',
  ]);
}

/** Serves `dir` over HTTP (Range requests, .wasm as application/wasm) and launches Chromium; `close()` stops both. */
export async function openSite(dir) {
  const { serveFiles } = await import('./range-server.mjs');
  const server = await serveFiles(dir);
  const browser = await launchChromium().catch(async (err) => {
    await server.close();
    throw err;
  });
  return {
    url: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
