import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index.js';
import { startPgServer, type PgServer } from './pg-server.js';

// Worker processes run outside vite: they load the built dist (npm run build -w packages/provenance).
const SCRIPT = new URL('./fixtures/wait-worker.mjs', import.meta.url).pathname;

describe('4 worker processes share 40 jobs on PostgreSQL, one killed mid-job', () => {
  let server: PgServer;
  let store: Store;
  beforeAll(async () => {
    server = await startPgServer();
    store = await openStore({ store: server.url, resultsDir: mkdtempSync(join(tmpdir(), 'spyglass-results-')) });
  });
  afterAll(async () => {
    await store?.close();
    server?.stop();
  });

  it('every job completes exactly once', async () => {
    for (let n = 0; n < 40; n++) await store.enqueue({ step: 'wait', inputs: {}, params: { n, ms: 150 } });
    const names = ['w0', 'w1', 'w2', 'victim'];
    const exits = new Map<string, Promise<number | null>>();
    const procs = new Map<string, ChildProcess>();
    for (const name of names) {
      const p = spawn(process.execPath, [SCRIPT, server.url, store.resultsDir, name], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr!.on('data', (d) => (err += d));
      procs.set(name, p);
      exits.set(name, new Promise((resolve) => p.on('exit', (code) => (code && console.error(name, err), resolve(code)))));
    }
    // Kill the victim while it holds a job (claimed, not completed).
    let killedJob = -1;
    for (let tries = 0; tries < 400 && killedJob < 0; tries++) {
      const events = await store.jobEvents();
      const mine = events.filter((e) => e.worker === 'victim');
      const open = mine.filter((e) => e.event === 'claimed').map((e) => e.jobId).find((id) => !mine.some((e) => e.jobId === id && e.event !== 'claimed'));
      if (open !== undefined && mine.filter((e) => e.event === 'completed').length >= 1) {
        procs.get('victim')!.kill('SIGKILL');
        killedJob = open;
      } else await new Promise((r) => setTimeout(r, 20));
    }
    expect(killedJob).toBeGreaterThan(0);
    expect(await exits.get('victim')).toBeNull(); // died by signal
    for (const name of names.slice(0, 3)) expect(await exits.get(name)).toBe(0);

    const jobs = await store.jobs();
    expect(jobs).toHaveLength(40);
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    const events = await store.jobEvents();
    for (const j of jobs) expect(events.filter((e) => e.jobId === j.id && e.event === 'completed'), `job ${j.id}`).toHaveLength(1);
    // the killed worker's job was taken again after its lease expired, and finished by someone else
    const killed = jobs.find((j) => j.id === killedJob)!;
    expect(events.filter((e) => e.jobId === killedJob && e.event === 'claimed').length).toBeGreaterThanOrEqual(2);
    expect(killed.completedBy).not.toBe('victim');
    expect(killed.attempts).toBeGreaterThanOrEqual(2);
    // the work was shared, and every job's result is recorded once under its own key
    expect(new Set(jobs.map((j) => j.completedBy)).size).toBeGreaterThanOrEqual(3);
    const keys = jobs.map((j) => (j.result as { key: string }).key);
    expect(new Set(keys).size).toBe(40);
    const rows = await store.sql.query<{ n: string }>('SELECT count(*) AS n FROM results');
    expect(Number(rows[0].n)).toBe(40);
  });
});
