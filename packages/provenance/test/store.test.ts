import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, type Activity } from '../src/index.js';
import { MIGRATIONS, migrate } from '../src/store/migrations.js';
import { startPgServer, type PgServer } from './pg-server.js';

const activity = (key: string, inputs: Record<string, string>): Activity => ({
  key,
  step: 'lfp',
  version: { package: 'p', packageVersion: '1', wasm: {} },
  params: { a: 1 },
  paramsHash: 'h',
  inputs,
  outputs: [`result:${key}`],
  startedAt: new Date(0).toISOString(),
  endedAt: new Date(1).toISOString(),
  agent: 'test',
  runtime: { platform: 'linux', runtime: 'node' },
});

function storeSuite(name: string, storeSpec: () => Promise<string>) {
  describe(name, () => {
    let store: Store, spec: string;
    beforeAll(async () => {
      store = await openStore({ store: (spec = await storeSpec()) });
      // as a worker does: the engine's housekeeping re-queues expired leases (PostgreSQL: pg-boss, each second)
      await store.supervise(2000);
    });
    afterAll(async () => store?.close());
    /** Polls until `test` holds: an expired lease comes back after housekeeping and the retry's backoff. */
    const eventually = async <T>(what: string, get: () => Promise<T>, test: (v: T) => boolean): Promise<T> => {
      for (let i = 0; i < 600; i++) {
        const v = await get();
        if (test(v)) return v;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    const claimAgain = (worker: string, leaseMs: number) =>
      eventually(
        `a claim by ${worker}`,
        () => store.claim(worker, leaseMs),
        (j) => j !== undefined,
      );

    it('flushes result files to disk unless SPYGLASS_DURABLE=0', async () => {
      expect(store.durable).toBe(true);
      const relaxed = await openStore({ store: spec, env: { SPYGLASS_DURABLE: '0' } });
      expect(relaxed.durable).toBe(false);
      await relaxed.close();
    });

    it('migrates idempotently and records the schema version', async () => {
      expect(await migrate(store.sql)).toBe(MIGRATIONS.at(-1)!.version);
      const rows = await store.sql.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    });

    it('commits results with lineage and invalidates downstream transitively', async () => {
      await store.commitResult(
        [{ id: 'file:x', kind: 'file', label: 'x.nwb', checksum: 'x' }],
        activity('k1', { raw: 'file:x' }),
        { key: 'k1', step: 'lfp', file: 'k1.nwb', checksum: 'c1', summary: { n: 1 } },
      );
      await store.commitResult([], activity('k2', { lfp: 'result:k1' }), {
        key: 'k2',
        step: 'ripples',
        file: 'k2.nwb',
        checksum: 'c2',
        summary: {},
      });
      await store.commitResult([], activity('k3', { other: 'file:y' }), {
        key: 'k3',
        step: 'lfp',
        file: 'k3.nwb',
        checksum: 'c3',
        summary: {},
      });
      const r2 = await store.getResult('k2');
      expect(r2?.activity.inputs).toEqual({ lfp: 'result:k1' });
      expect(r2?.status).toBe('valid');
      expect((await store.lineage('k2')).map((r) => r.key)).toEqual(['k1', 'k2']);
      expect((await store.invalidate('file:x')).sort()).toEqual(['k1', 'k2']);
      expect((await store.getResult('k2'))?.status).toBe('invalid');
      expect((await store.getResult('k3'))?.status).toBe('valid');
    });

    it('leases jobs: a lost lease cannot complete, an expired lease is taken again, errors are kept', async () => {
      const id = await store.enqueue({ step: 'x', inputs: {} }, { maxAttempts: 2, retryDelayMs: 1000 });
      const a = (await store.claim('A', 1))!;
      expect(a.id).toBe(id);
      const b = (await claimAgain('B', 60_000))!;
      expect(b.id).toBe(id);
      expect(b.attempts).toBe(2);
      expect(await store.heartbeat(a, 1000)).toBe(false);
      expect(await store.complete(a, 'A')).toBe(false);
      expect(await store.complete(b, 'B')).toBe(true);
      expect(await store.complete(b, 'B')).toBe(false);
      const id2 = await store.enqueue({ step: 'y', inputs: {} }, { maxAttempts: 1 });
      const c = (await store.claim('C', 60_000))!;
      expect(c.id).toBe(id2);
      await store.fail(c, 'boom: bad input');
      const jobs = await store.jobs();
      expect(jobs.find((j) => j.id === id)).toMatchObject({ status: 'done', completedBy: 'B', result: 'B' });
      expect(jobs.find((j) => j.id === id2)).toMatchObject({ status: 'failed', error: 'boom: bad input' });
      expect(await store.claim('D', 1000)).toBeUndefined();
    });

    it('fails a job whose lease expired on its last attempt instead of running it again', async () => {
      const id = await store.enqueue({ step: 'z', inputs: {} }, { maxAttempts: 2, retryDelayMs: 1000 });
      for (const w of ['E', 'F']) expect((await claimAgain(w, 1))?.id).toBe(id); // each worker dies holding it
      // the embedded queue fails it in the next claim; pg-boss in its housekeeping
      await eventually(
        'the job to fail',
        async () => (await store.claim('G', 60_000)) ?? (await store.jobs()).find((j) => j.id === id),
        (j) => j?.status === 'failed',
      );
      expect(await store.claim('G', 60_000)).toBeUndefined();
      const job = (await store.jobs()).find((j) => j.id === id)!;
      expect(job).toMatchObject({ status: 'failed', attempts: 2 });
      expect(job.error).toMatch(/lease expired/);
      expect(await store.pending()).toBe(0);
    });

    it('a released job goes back to the queue without using up an attempt', async () => {
      const id = await store.enqueue({ step: 'r', inputs: {} }, { maxAttempts: 1 });
      const h = (await store.claim('H', 60_000))!;
      expect(await store.pending()).toBe(1);
      expect(await store.release(h)).toBe(true);
      expect(await store.release(h)).toBe(false);
      const i = (await store.claim('I', 60_000))!;
      expect(i).toMatchObject({ id, attempts: 1 });
      expect(await store.complete(i, 'I')).toBe(true);
      expect((await store.jobEvents()).filter((e) => e.jobId === id).map((e) => e.event)).toEqual([
        'claimed',
        'released',
        'claimed',
        'completed',
      ]);
    });
  });
}

storeSuite('PGlite store', async () => 'memory://');

describe('a PostgreSQL store names its results folder', () => {
  it('the first opener records it (?results= or resultsDir); later openers get it; another folder is an error', async () => {
    const pg = await startPgServer();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'spyglass-shared-'));
      const first = await openStore({ store: `${pg.url}?results=${encodeURIComponent(dir)}` });
      expect(first.resultsDir).toBe(dir);
      expect(first.location).not.toContain('results=');
      await first.close();
      const later = await openStore({ store: pg.url, cwd: tmpdir() });
      expect(later.resultsDir).toBe(dir);
      await later.close();
      await expect(openStore({ store: pg.url, resultsDir: join(dir, 'other') })).rejects.toThrow(
        `keeps its results in ${dir}, not ${join(dir, 'other')}`,
      );
      await expect(openStore({ store: `${pg.url}?results=relative/path` })).rejects.toThrow(/absolute folder path/);
    } finally {
      pg.stop();
    }
  });
});

let server: PgServer | undefined;
afterAll(() => server?.stop());
storeSuite('PostgreSQL store', async () => {
  server = await startPgServer();
  return server.url;
});
