// Packs every publishable workspace package (packages/*, not private) with `npm pack`, as npm
// would publish it. Shared by scripts/check-packages.mjs and the packaging test.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The publishable packages: `{ name, version, dir }`, in folder order. */
export function publishablePackages() {
  const packagesDir = join(ROOT, 'packages');
  return readdirSync(packagesDir)
    .map((folder) => join(packagesDir, folder))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, ...JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter((pkg) => !pkg.private)
    .map(({ name, version, dir }) => ({ name, version, dir }));
}

/**
 * Packs each publishable package into `destination`; returns `{ name, version, dir, tarball,
 * integrity, manifest }` (integrity: the tarball's sha512, as a lockfile records it).
 * Throws if a package was not built (its tarball would ship without dist/).
 */
export function packPackages(destination) {
  return publishablePackages().map((pkg) => {
    if (!existsSync(join(pkg.dir, 'dist')))
      throw new Error(`${pkg.name}: no dist/ in ${pkg.dir} (run npm run build first)`);
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
      cwd: pkg.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    const [{ filename, integrity }] = JSON.parse(out);
    const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
    return { ...pkg, tarball: join(destination, filename), integrity, manifest };
  });
}
