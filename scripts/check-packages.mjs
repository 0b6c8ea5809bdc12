#!/usr/bin/env node
// `npm run check:packages`: packs every publishable package and lints each tarball with publint
// (package.json fields, exports, files) and @arethetypeswrong/cli (types for ESM and CJS users
// under node10, node16 and bundler resolution). Both run locally on the tarball: no network.
// Exits 1 if any package has a problem. Needs a build (npm run build) first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packPackages, ROOT } from './pack-packages.mjs';

/** The path of a dev dependency's CLI script, run with this node (no npx, no shell). */
function binOf(pkgName, binName) {
  const dir = join(ROOT, 'node_modules', pkgName);
  const { bin } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return join(dir, typeof bin === 'string' ? bin : bin[binName]);
}

const TOOLS = [
  // --strict: warnings fail too; so do suggestions (publint exits 0 on those).
  {
    name: 'publint',
    args: (tgz) => [binOf('publint', 'publint'), 'run', tgz, '--strict'],
    clean: (out) => !/Suggestions:/.test(out),
  },
  // --no-definitely-typed: never look for @types packages on the registry. --profile node16: subpath
  // exports (`/reference`) need Node 12+ resolution; TypeScript's legacy `node10` mode cannot see them.
  {
    name: 'attw',
    // --exclude-entrypoints: a worker export (@spyglass-wasm/dsp-wasm/worker, @spyglass-wasm/spike-sort/worker)
    // is a script to run in a Worker, not a module to import; it has no types. Names that a package does not
    // have are ignored.
    args: (tgz) => [
      binOf('@arethetypeswrong/cli', 'attw'),
      tgz,
      '--no-definitely-typed',
      '--profile',
      'node16',
      '--exclude-entrypoints',
      './worker',
      '--format',
      'table-flipped',
      '--no-emoji',
      '--no-color',
    ],
  },
];

const workDir = mkdtempSync(join(tmpdir(), 'spyglass-pack-'));
const failures = [];
try {
  for (const pkg of packPackages(workDir)) {
    for (const tool of TOOLS) {
      const run = spawnSync(process.execPath, tool.args(pkg.tarball), { encoding: 'utf8' });
      const ok = run.status === 0 && (tool.clean?.(run.stdout + run.stderr) ?? true);
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${tool.name} ${pkg.name}`);
      if (!ok) {
        failures.push(`${tool.name} ${pkg.name}`);
        process.stdout.write(run.stdout + run.stderr);
      }
    }
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`\ncheck:packages: ${failures.length} problem(s): ${failures.join(', ')}`);
  process.exit(1);
}
console.log('\ncheck:packages: every package is clean (publint, attw)');
