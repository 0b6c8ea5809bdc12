// `npm run build` (lerna run build, Nx's task cache configured in nx.json) skips a package whose
// build inputs are unchanged and rebuilds it, and what depends on it, when one changes. Shown on
// a two-package workspace in a temporary folder with the repository's own nx.json: each build
// appends its package's name to a log, so what ran is read from the log, not from the clock.
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/pack-packages.mjs';

let ws = '';

/** Builds the workspace as `npm run build` does; returns the packages whose build script ran. */
function build(): string[] {
  const log = join(ws, 'builds.log');
  writeFileSync(log, '');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/lerna/dist/cli.js'), 'run', 'build', '--concurrency', '1'], {
    cwd: ws,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return readFileSync(log, 'utf8').split('\n').filter(Boolean).sort();
}

function writePackage(name: string, dependencies: Record<string, string> = {}): void {
  const dir = join(ws, 'packages', name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  // The build: a generated source (as code-hash.mjs writes), dist/, and a line in the log.
  const script = `require('fs').writeFileSync('src/stamp.generated.ts', String(Date.now())); require('fs').mkdirSync('dist', { recursive: true }); require('fs').copyFileSync('src/index.ts', 'dist/index.js'); require('fs').appendFileSync('../../builds.log', '${name}\\n');`;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', dependencies, scripts: { build: `node -e "${script}"` } }),
  );
  writeFileSync(join(dir, 'src', 'index.ts'), `export const name = '${name}';\n`);
}

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'spyglass-build-cache-'));
  cpSync(join(ROOT, 'nx.json'), join(ws, 'nx.json'));
  cpSync(join(ROOT, 'lerna.json'), join(ws, 'lerna.json'));
  cpSync(join(ROOT, 'tsup.base.ts'), join(ws, 'tsup.base.ts'));
  writeFileSync(
    join(ws, 'package.json'),
    JSON.stringify({ name: 'ws', private: true, workspaces: ['packages/a', 'packages/b'] }),
  );
  // nx reads the external packages named in nx.json's inputs from the lockfile and node_modules
  cpSync(join(ROOT, 'package-lock.json'), join(ws, 'package-lock.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(ws, 'node_modules'), 'dir');
  writePackage('a');
  writePackage('b', { a: '1.0.0' });
}, 60_000);

afterAll(() => {
  if (ws) rmSync(ws, { recursive: true, force: true });
});

describe('build cache (nx.json)', () => {
  it('builds everything the first time, nothing the second', () => {
    expect(build()).toEqual(['a', 'b']);
    expect(build()).toEqual([]);
  });
  it('a changed source rebuilds its package and the packages that depend on it', () => {
    appendFileSync(join(ws, 'packages/a/src/index.ts'), 'export const more = 1;\n');
    expect(build()).toEqual(['a', 'b']);
    appendFileSync(join(ws, 'packages/b/src/index.ts'), 'export const more = 1;\n');
    expect(build()).toEqual(['b']);
  });
  it('a changed shared build config rebuilds every package', () => {
    appendFileSync(join(ws, 'tsup.base.ts'), '// changed\n');
    expect(build()).toEqual(['a', 'b']);
  });
  it('generated sources are outputs, not inputs: rewriting them rebuilds nothing', () => {
    writeFileSync(join(ws, 'packages/a/src/stamp.generated.ts'), 'changed');
    expect(build()).toEqual([]);
  });
  it('a deleted dist/ is restored from the cache without running the build', () => {
    rmSync(join(ws, 'packages/a/dist'), { recursive: true });
    expect(build()).toEqual([]);
    expect(readFileSync(join(ws, 'packages/a/dist/index.js'), 'utf8')).toMatch(/export const more/);
    expect(existsSync(join(ws, 'packages/a/src/stamp.generated.ts'))).toBe(true);
  });
});
