import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { lockDir } from '../src/store/dir-lock.js';

const SCRIPT = new URL('./fixtures/concurrent-commit.mjs', import.meta.url).pathname;
const PROCESSES = 3;
const ROUNDS = 20;

function child(store: string, worker: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [SCRIPT, store, String(worker), String(ROUNDS)], {
      env: { ...process.env, SPYGLASS_LOCK_WAIT_MS: '600000', SPYGLASS_DURABLE: '0' },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Leaves a lock folder as a dead process would: an owner file and a heartbeat `ageMs` old. */
function leaveLock(store: string, owner: Record<string, unknown>, ageMs: number): void {
  const lock = join(store, 'lock');
  mkdirSync(lock, { recursive: true });
  writeFileSync(
    join(lock, 'owner.json'),
    JSON.stringify({ token: 'dead-process', since: '2020-01-01T00:00:00Z', ...owner }),
  );
  const then = new Date(Date.now() - ageMs);
  utimesSync(lock, then, then);
}

describe('embedded store shared by several processes', () => {
  it(`${PROCESSES} processes × ${ROUNDS} rounds of open, commit, close: no result lost, every key readable`, async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'spyglass-many-')), '.spyglass');
    const runs = await Promise.all(Array.from({ length: PROCESSES }, (_, w) => child(store, w)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const keys = runs.flatMap((r) => JSON.parse(r.stdout) as string[]);
    expect(new Set(keys).size).toBe(PROCESSES * ROUNDS);

    const s = await openStore({ store });
    try {
      // by the primary-key index and by a full scan: both must see every result
      for (const key of keys) {
        const r = await s.getResult(key);
        expect(r?.status).toBe('valid');
        expect((await s.blobs.read(r!.file)).byteLength).toBeGreaterThan(0);
      }
      await s.sql.exec('SET enable_indexscan = off; SET enable_bitmapscan = off;');
      const scanned = await s.sql.query<{ key: string }>('SELECT key FROM results');
      expect(scanned.map((r) => r.key).sort()).toEqual([...keys].sort());
      await s.sql.exec('RESET enable_indexscan; RESET enable_bitmapscan; REINDEX TABLE results;');
      expect(Number((await s.sql.query<{ n: string }>('SELECT count(*) AS n FROM results'))[0].n)).toBe(
        PROCESSES * ROUNDS,
      );
    } finally {
      await s.close();
    }
  }, 600_000);
});

describe('store folder lock under contention', () => {
  it('4 processes × 150 lock/increment/unlock rounds: no increment lost (never two holders)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spyglass-counter-'));
    writeFileSync(join(dir, 'counter'), '0');
    const script = new URL('./fixtures/lock-counter.mjs', import.meta.url).pathname;
    const codes = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<number | null>((resolve) => {
            spawn(process.execPath, [script, dir, '150'], { stdio: 'inherit' }).on('exit', resolve);
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0, 0]);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'counter'), 'utf8')).toBe('600');
  }, 300_000);
});

describe('embedded store folder lock, stale locks', () => {
  it('waits for a lock folder being created (no owner yet, fresh): never calls it stale', async () => {
    const store = mkdtempSync(join(tmpdir(), 'spyglass-stale-'));
    mkdirSync(join(store, 'lock'));
    await expect(lockDir(store, { waitMs: 300 })).rejects.toThrow(/in use by another process \(lock being created\)/);
  });

  it('takes over a lock left by a dead process whose pid is now this process (a reused pid)', async () => {
    const store = mkdtempSync(join(tmpdir(), 'spyglass-stale-'));
    const { hostname } = await import('node:os');
    leaveLock(store, { pid: process.pid, host: hostname(), start: 'an-earlier-boot' }, 0);
    const release = await lockDir(store, { waitMs: 2000 });
    await release();
  });

  it('takes over a lock held by pid 1 (alive here, another process) once its heartbeat is old', async () => {
    const store = mkdtempSync(join(tmpdir(), 'spyglass-stale-'));
    const { hostname } = await import('node:os');
    leaveLock(store, { pid: 1, host: hostname() }, 60_000);
    const release = await lockDir(store, { waitMs: 2000, staleMs: 30_000 });
    await release();
  });

  it('takes over a lock held by pid 1 recorded with another start time (a reused pid), heartbeat fresh', async () => {
    const store = mkdtempSync(join(tmpdir(), 'spyglass-stale-'));
    const { hostname } = await import('node:os');
    leaveLock(store, { pid: 1, host: hostname(), start: 'an-earlier-boot' }, 0);
    const release = await lockDir(store, { waitMs: 2000 });
    await release();
  });

  it('does not break a lock whose heartbeat is fresh; times out naming the store and the holder', async () => {
    const store = mkdtempSync(join(tmpdir(), 'spyglass-stale-'));
    leaveLock(store, { pid: 1, host: 'another-host' }, 0);
    await expect(lockDir(store, { waitMs: 300, staleMs: 30_000 })).rejects.toThrow(
      new RegExp(`store at ${store} is in use by process 1 on another-host`),
    );
  });

  it('takes over an owner-less lock folder (a creator that died before writing its owner) once old', async () => {
    const store = mkdtempSync(join(tmpdir(), 'spyglass-stale-'));
    mkdirSync(join(store, 'lock'));
    const then = new Date(Date.now() - 60_000);
    utimesSync(join(store, 'lock'), then, then);
    const release = await lockDir(store, { waitMs: 2000 });
    await release();
  });

  it('the holder heartbeat keeps a live lock fresh', async () => {
    const store = mkdtempSync(join(tmpdir(), 'spyglass-stale-'));
    const release = await lockDir(store, { staleMs: 200 });
    await new Promise((r) => setTimeout(r, 400));
    const { statSync } = await import('node:fs');
    expect(Date.now() - statSync(join(store, 'lock')).mtimeMs).toBeLessThan(200);
    await release();
  });
});
