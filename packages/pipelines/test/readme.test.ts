import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as provenance from '@spyglass-wasm/provenance';
import * as pipelines from '../src/index.js';
import { sessionFixture } from '../../../scripts/test-fixtures.js';

it("the README's first example runs as written (on the bundled session)", async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = readme.match(/```ts\n([\s\S]*?)```/)![1];
  const dir = mkdtempSync(join(tmpdir(), 'spyglass-pipelines-readme-'));
  const body = code
    .replace(/^import .*$/gm, '')
    .replaceAll("'session.nwb'", JSON.stringify(sessionFixture('tetrode-session.nwb')))
    .replace('openStore()', `openStore({ store: ${JSON.stringify(join(dir, '.spyglass'))} })`)
    .replace(/console\.log\(/g, 'log(');
  const logged: unknown[][] = [];
  const log = (...a: unknown[]) => logged.push(a);
  const scope = { ...provenance, ...pipelines, log };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  await new AsyncFunction(...Object.keys(scope), body)(...Object.values(scope));
  const [events, units, errorCm] = logged[0] as number[];
  expect(events).toBe(2); // both simulated ripples
  expect(units).toBeGreaterThanOrEqual(10);
  expect(errorCm).toBeGreaterThan(0);
});
