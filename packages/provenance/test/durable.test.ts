import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, writeAtomically } from '../src/index.js';

const dir = mkdtempSync(join(os.tmpdir(), 'prov-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('durability of result files', () => {
  it('is on by default, off on request or with SPYGLASS_DURABLE=0', async () => {
    const a = await openStore({ store: 'memory://', resultsDir: join(dir, 'a') });
    const b = await openStore({ store: 'memory://', resultsDir: join(dir, 'b'), durable: false });
    const c = await openStore({ store: 'memory://', resultsDir: join(dir, 'c'), env: { SPYGLASS_DURABLE: '0' } });
    expect([a.durable, b.durable, c.durable]).toEqual([true, false, false]);
    await Promise.all([a.close(), b.close(), c.close()]);
  });
  it('writes whole files under their name either way, and leaves no temporary file', async () => {
    for (const sync of [true, false]) {
      const path = join(dir, `r-${sync}.bin`);
      await writeAtomically(path, Uint8Array.of(1, 2, 3), { sync });
      expect(existsSync(path)).toBe(true);
      expect(Array.from(readFileSync(path))).toEqual([1, 2, 3]);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});
