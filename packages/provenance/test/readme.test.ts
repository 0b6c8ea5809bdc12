import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as provenance from '../src/index.js';

const SESSION = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;

it("the README's first example runs as written (on the bundled session)", async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = readme.match(/```ts\n([\s\S]*?)```/)![1];
  const dir = mkdtempSync(join(tmpdir(), 'spyglass-readme-'));
  const body = code
    .replace(/^import .*$/m, '')
    .replaceAll("'session.nwb'", JSON.stringify(SESSION))
    .replaceAll("'crate/'", JSON.stringify(join(dir, 'crate')))
    .replace('openStore()', `openStore({ store: ${JSON.stringify(join(dir, '.spyglass'))} })`)
    .replace(/console\.log\(/g, 'log(');
  const logged: unknown[] = [];
  const log = (...a: unknown[]) => logged.push(a);
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  await new AsyncFunction(...Object.keys(provenance), 'log', body)(...Object.values(provenance), log);
  expect(logged[0]).toEqual([false, expect.stringMatching(/^blake3:/), expect.objectContaining({ events: 2 })]);
  expect(String((logged[1] as string[])[0])).toMatch(/ripples[\s\S]*<- lfp/);
  expect((logged[2] as { status: string }[][])[0].map((s) => s.status)).toEqual(['reproduced', 'reproduced']);
});
