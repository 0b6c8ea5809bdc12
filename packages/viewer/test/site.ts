// The built site for the browser tests: rebuilt (both Vite entries) when dist/ is missing or older
// than the sources, as `npm run build` would.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const pkg = fileURLToPath(new URL('..', import.meta.url));
export const dist = join(pkg, 'dist');

const newest = (p: string): number =>
  statSync(p).isDirectory()
    ? Math.max(statSync(p).mtimeMs, ...readdirSync(p).map((f) => newest(join(p, f))))
    : statSync(p).mtimeMs;

/** Builds dist/ (site and report renderer) unless it is newer than src/ and the configs. */
export async function builtSite(): Promise<string> {
  const built = join(dist, 'index.html'),
    report = join(dist, 'report', 'report.js');
  const sources = Math.max(
    newest(join(pkg, 'src')),
    newest(join(pkg, 'index.html')),
    newest(join(pkg, 'vite.config.ts')),
    newest(join(pkg, 'vite.report.config.ts')),
  );
  if (existsSync(built) && existsSync(report) && Math.min(statSync(built).mtimeMs, statSync(report).mtimeMs) >= sources)
    return dist;
  const { build } = await import('vite');
  await build({ root: pkg, configFile: join(pkg, 'vite.config.ts'), logLevel: 'warn' });
  await build({ root: pkg, configFile: join(pkg, 'vite.report.config.ts'), logLevel: 'warn' });
  return dist;
}
