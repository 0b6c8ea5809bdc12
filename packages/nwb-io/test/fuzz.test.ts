// A small run of the fuzz suite (scripts/fuzz.mjs; `npm run fuzz` runs 1000 files): mutated NWB
// files read in a child process with a time bound. Reads the built package (npm test builds first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runFuzz } from '../scripts/fuzz.mjs';

const built = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)));

it.runIf(built)('60 mutated files: no crash, no hang, no silent wrong output', { timeout: 300_000 }, async () => {
  const { counts, notable } = await runFuzz({ files: 60, seed: 7, timeoutMs: 60_000 });
  expect(notable).toEqual([]);
  expect(counts).toMatchObject({ files: 60, crash: 0, hang: 0, silent: 0, stderr: 0 });
  expect(counts.clean).toBeGreaterThan(0);
});
