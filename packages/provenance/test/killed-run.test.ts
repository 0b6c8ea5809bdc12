import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';

const SCRIPT = new URL('./fixtures/killed-run.mjs', import.meta.url).pathname;

describe('a killed run', () => {
  it('leaves no partial result: no row, no file under a final name; the store opens and the rerun succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spyglass-kill-'));
    const store = join(dir, '.spyglass');
    const marker = join(dir, 'marker');
    const p = spawn(process.execPath, [SCRIPT, store, marker, '60000'], { stdio: 'ignore' });
    for (let i = 0; i < 1000 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(marker)).toBe(true);
    p.kill('SIGKILL');
    await new Promise((r) => p.on('exit', r));

    const s = await openStore({ store });
    const counts = await s.sql.query<{ a: string; r: string }>(
      'SELECT (SELECT count(*) FROM activities) AS a, (SELECT count(*) FROM results) AS r',
    );
    expect(counts[0]).toEqual({ a: 0, r: 0 });
    expect(existsSync(s.resultsDir) ? readdirSync(s.resultsDir).filter((f) => f.endsWith('.sgr')) : []).toEqual([]);
    await s.close();

    const rerun = spawnSync(process.execPath, [SCRIPT, store, marker, '10'], { encoding: 'utf8' });
    expect(rerun.status).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ cached: false });
    const s2 = await openStore({ store });
    const files = readdirSync(s2.resultsDir);
    expect(files.filter((f) => f.endsWith('.sgr'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);
    await s2.close();
  });
});

describe('embedded store folder lock', () => {
  it('a second opener waits for the first, with a StoreError naming the owner on timeout', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spyglass-lock-')), '.spyglass');
    const a = await openStore({ store: dir });
    const { lockDir } = await import('../src/store/dir-lock.js');
    await expect(lockDir(dir, 200)).rejects.toThrow(/in use by process \d+/);
    const b = openStore({ store: dir }); // waits
    await new Promise((r) => setTimeout(r, 150));
    await a.close();
    const opened = await b;
    expect(await opened.getResult('none')).toBeUndefined();
    await opened.close();
  });
});
