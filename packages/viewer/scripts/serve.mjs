// `npm run viewer`: serves the built site (dist/) on localhost and prints its address. Builds the
// site and the packages it uses first when dist/ is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}dist/index.html`)) {
  console.log('dist/ is missing: building the viewer and the packages it uses…');
  execFileSync('npx', ['lerna', 'run', 'build', '--scope', '@spyglass-wasm/viewer', '--include-dependencies'], {
    cwd: `${root}../..`,
    stdio: 'inherit',
  });
}
const port = Number(process.env.PORT ?? 5180);
const server = await preview({
  root,
  logLevel: 'warn',
  preview: { host: '127.0.0.1', port, strictPort: false, open: false },
});
const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
console.log(`\n  Spyglass-Wasm NWB viewer: ${url}\n`);
console.log('  Everything runs in your browser tab; this server only hands out the static site.');
console.log(`  Open a remote file directly: ${url}?url=https://…/session.nwb`);
console.log('  Ctrl-C stops the server.\n');
