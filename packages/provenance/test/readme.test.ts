import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as provenance from '../src/index.js';

it("the README's first example runs as written", async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = readme.match(/```ts\n([\s\S]*?)```/)![1];
  const dir = mkdtempSync(join(tmpdir(), 'spyglass-readme-'));
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'every result carries its provenance record\n');
  const body = code
    .replace(/^import .*$/gm, '')
    .replaceAll("'notes.txt'", JSON.stringify(notes))
    .replaceAll("'crate/'", JSON.stringify(join(dir, 'crate')))
    .replace('openStore()', `openStore({ store: ${JSON.stringify(join(dir, '.spyglass'))} })`)
    .replace(/console\.log\(/g, 'log(');
  const logged: unknown[] = [];
  const log = (...a: unknown[]) => logged.push(a);
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  await new AsyncFunction(...Object.keys(provenance), 'readFile', 'log', body)(
    ...Object.values(provenance),
    readFile,
    log,
  );
  expect(logged[0]).toEqual([false, expect.stringMatching(/^blake3:/), { longest: 'provenance' }]);
  expect(String((logged[1] as string[])[0])).toMatch(/longest[\s\S]*<- words/);
  expect((logged[2] as { status: string }[][])[0].map((s) => s.status)).toEqual(['reproduced', 'reproduced']);
});
