import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../../../scripts/pack-packages.mjs';

/** A packed workspace package: what `npm pack --json` reported, plus its manifest. */
export interface Tarball {
  name: string;
  version: string;
  tarball: string;
  integrity: string;
  manifest: { dependencies?: Record<string, string>; bin?: Record<string, string>; [key: string]: unknown };
}

type LockEntry = Record<string, unknown> & {
  version?: string;
  resolved?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

const REGISTRY = 'https://registry.npmjs.org';

/**
 * Writes a fresh npm project in `dir` that depends on the tarballs, with a lockfile holding the
 * tarballs and, for every third-party dependency they pull in, the exact version and integrity
 * the repository's own package-lock.json resolved. `npm ci --offline` then installs from the npm
 * cache that the repository's `npm ci` filled: no registry metadata is needed (an install
 * without a lockfile would ask the registry for every package's metadata).
 */
export function writeConsumerProject(dir: string, tarballs: Tarball[]): void {
  mkdirSync(dir, { recursive: true });
  const rootLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const workspaceDirs = new Map(tarballs.map((t) => [t.name, `node_modules/${t.name}`]));
  const dependencies = Object.fromEntries(tarballs.map((t) => [t.name, `file:${relative(dir, t.tarball)}`]));
  const packages: Record<string, LockEntry> = { '': { name: 'consumer', dependencies } };
  for (const t of tarballs) {
    packages[`node_modules/${t.name}`] = {
      version: t.version,
      resolved: `file:${relative(dir, t.tarball)}`,
      integrity: t.integrity,
      dependencies: t.manifest.dependencies,
      // npm links bins from what the lockfile says.
      ...(t.manifest.bin ? { bin: t.manifest.bin } : {}),
    };
  }
  // Third-party packages, reached from each workspace package's folder as Node would resolve them.
  const queue: { from: string; to: string; name: string; optional: boolean }[] = [];
  const enqueue = (from: string, to: string, entry: LockEntry) => {
    const optional = new Set(Object.keys(entry.optionalDependencies ?? {}));
    for (const [name, meta] of Object.entries(entry.peerDependenciesMeta ?? {})) if (meta.optional) optional.add(name);
    const names = new Set([
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}),
      ...optional,
    ]);
    for (const name of names)
      if (!workspaceDirs.has(name)) queue.push({ from, to, name, optional: optional.has(name) });
  };
  for (const t of tarballs)
    enqueue(`packages/${t.name.split('/')[1]}`, `node_modules/${t.name}`, { dependencies: t.manifest.dependencies });
  const done = new Set<string>();
  while (queue.length) {
    const { from, to, name, optional } = queue.shift()!;
    const found = resolveInLock(rootLock.packages, from, name);
    if (!found) {
      if (optional) continue;
      throw new Error(`package-lock.json has no ${name} reachable from ${from}`);
    }
    // A copy nested under a workspace folder nests under that package in the consumer.
    const target = found.location.startsWith('packages/') ? `${to}/node_modules/${name}` : found.location;
    if (done.has(target)) continue;
    done.add(target);
    const { version } = found.entry;
    const basename = name.split('/').pop();
    packages[target] = {
      ...found.entry,
      resolved: found.entry.resolved ?? `${REGISTRY}/${name}/-/${basename}-${version}.tgz`,
    };
    enqueue(found.location, target, found.entry);
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies }, null, 2));
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2),
  );
}

/** Where Node's lookup from `from` finds `name` in a lockfile: the nearest node_modules upward. */
function resolveInLock(lock: Record<string, LockEntry>, from: string, name: string) {
  for (let dir = from; ; dir = parentOf(dir)) {
    const location = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock[location] && !lock[location].link) return { location, entry: lock[location] };
    if (!dir) return undefined;
  }
}

/** `a/node_modules/b/node_modules/c` → `a/node_modules/b`; `packages/x` → ''. */
function parentOf(dir: string): string {
  const i = dir.lastIndexOf('/node_modules/');
  return i >= 0 ? dir.slice(0, i) : '';
}

/** Runs `npm ci --offline` in the consumer project. */
export function installOffline(dir: string): void {
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  });
}
