// SIGTERM to `spyglass worker` while its job writes (held at its first result-file write by
// fixtures/kill-at-write.mjs, so the signal lands mid-job whatever the machine's speed): the job is
// finished within the grace period, or, on a second signal, given back at once and finished by
// another worker. Either way: no job lost, none completed twice, none run by two workers at once.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '@spyglass-wasm/provenance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgServer, type PgServer } from '../../provenance/test/pg-server.js';

const SESSION = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url)); // built by npm run build
const HOLD = fileURLToPath(new URL('./fixtures/kill-at-write.mjs', import.meta.url));

const until = async (what: string, test: () => Promise<unknown> | unknown): Promise<void> => {
  for (let i = 0; i < 6000; i++) {
    if (await Promise.resolve(test()).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting until ${what}`);
};

describe('spyglass worker on SIGTERM (PostgreSQL store)', () => {
  let server: PgServer;
  let store: Store;
  let results: string;
  let url: string;
  beforeAll(async () => {
    server = await startPgServer();
    results = join(mkdtempSync(join(tmpdir(), 'spyglass-shutdown-')), 'results');
    url = `${server.url}?results=${results}`;
    store = await openStore({ store: url });
  });
  afterAll(async () => {
    await store?.close().catch(() => {});
    server?.stop();
  });

  /** A worker whose first write of a result file waits until the test lets it go on. */
  function heldWorker(name: string) {
    const log = join(mkdtempSync(join(tmpdir(), 'spyglass-hold-')), 'points.jsonl');
    const p = spawn(process.execPath, ['--import', HOLD, BIN, 'worker', '--store', server.url, '--name', name], {
      env: { ...process.env, SPYGLASS_KILL_DIRS: results, SPYGLASS_KILL_LOG: log, SPYGLASS_HOLD_AT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const w = {
      p,
      out: '',
      err: '',
      held: () => existsSync(log),
      go: () => writeFileSync(`${log}.go`, ''),
      exit: new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code))),
    };
    p.stdout!.on('data', (d) => (w.out += d));
    p.stderr!.on('data', (d) => (w.err += d));
    return w;
  }
  const events = async (job: number) =>
    (await store.jobEvents()).filter((e) => e.jobId === job).map((e) => `${e.event} ${e.worker}`);
  const lfpJob = (params: Record<string, unknown>) =>
    store.enqueue({ step: 'lfp', inputs: { raw: { file: SESSION } }, params });

  it('finishes the running job within the grace period, then exits', async () => {
    const job = await lfpJob({ attenuation: 100 });
    const w = heldWorker('finisher');
    await until('the job writes its result', () => w.held());
    w.p.kill('SIGTERM');
    await until('the worker is stopping', () => w.err.includes(`job ${job} stopping`));
    w.go();
    expect(await w.exit, w.err).toBe(0);
    expect(w.out).toBe('completed 1 jobs\n');
    expect(await events(job)).toEqual(['claimed finisher', 'completed finisher']);
    expect((await store.jobs()).find((j) => j.id === job)).toMatchObject({ status: 'done', attempts: 1 });
  }, 180_000);

  it('a second SIGTERM gives the job back at once; another worker finishes it, once', async () => {
    const job = await lfpJob({ attenuation: 110 });
    const w = heldWorker('leaver');
    await until('the job writes its result', () => w.held());
    w.p.kill('SIGTERM');
    await until('the worker is stopping', () => w.err.includes(`job ${job} stopping`));
    w.p.kill('SIGTERM');
    await until('the job is back in the queue', async () => (await events(job)).includes('released leaver'));
    w.go();
    expect(await w.exit, w.err).toBe(0);
    expect(w.out).toBe('completed 0 jobs\n');
    expect((await store.jobs()).find((j) => j.id === job)).toMatchObject({ status: 'queued', attempts: 0 });

    const next = spawnSync(
      process.execPath,
      [BIN, 'worker', '--store', server.url, '--name', 'next', '--exit-when-idle'],
      {
        encoding: 'utf8',
      },
    );
    expect(next.status, next.stderr).toBe(0);
    // the leaver's run was stopped (its step thread ended) before it gave the job back, and so before the next claim
    expect(await events(job)).toEqual(['claimed leaver', 'released leaver', 'claimed next', 'completed next']);
    expect((await store.jobs()).find((j) => j.id === job)).toMatchObject({ status: 'done', attempts: 1 });
    const rows = await store.sql.query<{ n: string }>(`SELECT count(*) AS n FROM results`);
    expect(Number(rows[0].n)).toBe(2); // one lfp result per job
  }, 180_000);
});
