// A built copy of the repository at another git ref, for suites that run the same child script
// against that code and this code side by side in one run (e.g. BENCH_DENSITY_BASELINE=main).
// The copy is a detached worktree in the system temp folder, kept between runs (keyed by the
// ref's commit); its node_modules links to this checkout's third-party modules, and its
// @spyglass-wasm/* packages to its own packages, so a script placed in it imports the ref's code.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The folder of a worktree of `ref` with `packages` (and what they depend on) built; `script`
 * (a file of this checkout's benchmarks/lib) is copied into its benchmarks/lib and the copy's path
 * returned as `script`.
 *
 * @example
 * const { script } = baselineTree({ ref: 'main', packages: ['@spyglass-wasm/spike-sort'], script: child });
 */
export function baselineTree({ ref, packages, script }) {
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  const dir = path.join(os.tmpdir(), `spyglass-bench-baseline-${commit.slice(0, 12)}`);
  if (!existsSync(path.join(dir, '.built'))) {
    if (!existsSync(dir)) git('worktree', 'add', '--detach', dir, commit);
    linkModules(dir);
    const scopes = packages.flatMap((p) => ['--scope', p]);
    execFileSync('npx', ['lerna', 'run', 'build', ...scopes, '--include-dependencies'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    execFileSync('touch', [path.join(dir, '.built')]);
  }
  const copy = path.join(dir, 'benchmarks', 'lib', `baseline-${path.basename(script)}`);
  copyFileSync(script, copy);
  return { dir, commit, script: copy };
}

/** node_modules: this checkout's third-party entries, and @spyglass-wasm/* pointing into the worktree. */
function linkModules(dir) {
  const nm = path.join(dir, 'node_modules');
  mkdirSync(path.join(nm, '@spyglass-wasm'), { recursive: true });
  for (const entry of readdirSync(path.join(root, 'node_modules'))) {
    if (entry === '@spyglass-wasm' || entry === '.cache' || existsSync(path.join(nm, entry))) continue;
    symlinkSync(path.join(root, 'node_modules', entry), path.join(nm, entry));
  }
  for (const pkg of readdirSync(path.join(dir, 'packages'))) {
    const link = path.join(nm, '@spyglass-wasm', pkg);
    if (!existsSync(link)) symlinkSync(path.join(dir, 'packages', pkg), link);
  }
  const bench = path.join(nm, '@spyglass-wasm', 'benchmarks');
  if (!existsSync(bench)) symlinkSync(path.join(dir, 'benchmarks'), bench);
}
