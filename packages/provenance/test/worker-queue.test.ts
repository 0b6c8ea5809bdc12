import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index.js';
import { startPgServer, type PgServer } from './pg-server.js';

// Worker processes run outside vite: they load the built dist (npm run build -w packages/provenance).
const SCRIPT = new URL('./fixtures/wait-worker.mjs', import.meta.url).pathname;
const LEASE_MS = 1500; // wait-worker.mjs's lease
/** Accepted heartbeats (every 250 ms) a busy step computes through without yielding: at least twice the lease. */
const BEATS = (2 * LEASE_MS) / 250 + 1;

/**
 * Polls `test` until it holds. Its own deadline is well inside each test's vitest timeout, so a hang
 * names the wait it hung in (and `context`, e.g. the workers' logs) instead of only the test's timeout.
 */
const until = async (what: string, test: () => Promise<unknown>, context?: () => string): Promise<void> => {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (await test().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting until ${what}${context ? `\n${context()}` : ''}`);
};

interface Run {
  n: number;
  pid: number;
  start: number;
  end?: number;
}

/** The step's start/end lines, paired per (job, process). */
function runsIn(log: string): Run[] {
  const runs: Run[] = [];
  for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
    const { n, pid, phase, t } = JSON.parse(line) as { n: number; pid: number; phase: string; t: number };
    if (phase === 'start') runs.push({ n, pid, start: t });
    else runs.filter((r) => r.n === n && r.pid === pid && r.end === undefined).pop()!.end = t;
  }
  return runs;
}

describe('4 worker processes share 40 jobs on PostgreSQL: one killed, one paused past its lease, the server restarted', () => {
  let server: PgServer;
  let store: Store;
  beforeAll(async () => {
    server = await startPgServer();
    store = await openStore({ store: server.url, resultsDir: mkdtempSync(join(tmpdir(), 'spyglass-results-')) });
  });
  afterAll(async () => {
    await store?.close().catch(() => {});
    server?.stop();
  });

  it('every job completes exactly once, and no two processes run it at once while both hold its lease', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'spyglass-runs-')), 'runs.jsonl');
    const enqueue = (n: number, beats = 0) =>
      store.enqueue({ step: 'wait', inputs: {}, params: { n, ms: 200, beats, log } });
    for (let n = 0; n < 30; n++) await enqueue(n);
    const procs = new Map<string, ChildProcess>();
    const exits = new Map<string, Promise<number | null>>();
    const stderr = new Map<string, string>();
    for (const name of ['w0', 'w1', 'killed', 'paused']) {
      // the store's configuration names the shared results folder: workers are given only the URL
      const p = spawn(process.execPath, [SCRIPT, server.url, '', name], { stdio: ['ignore', 'ignore', 'pipe'] });
      stderr.set(name, '');
      p.stderr!.on('data', (d) => stderr.set(name, stderr.get(name) + d));
      procs.set(name, p);
      exits.set(name, new Promise((resolve) => p.on('exit', (code) => resolve(code))));
    }
    /** The job a worker has claimed and not yet settled, once it has completed at least `done` jobs. */
    const openJob = async (name: string, done: number): Promise<number | undefined> => {
      const mine = (await store.jobEvents()).filter((e) => e.worker === name);
      if (mine.filter((e) => e.event === 'completed').length < done) return undefined;
      return mine
        .filter((e) => e.event === 'claimed')
        .map((e) => e.jobId)
        .find((id) => !mine.some((e) => e.jobId === id && e.event !== 'claimed'));
    };

    // SIGKILL one worker mid-job.
    let killedJob: number | undefined;
    await until('the victim holds a job', async () => (killedJob = await openJob('killed', 1)) !== undefined);
    procs.get('killed')!.kill('SIGKILL');
    expect(await exits.get('killed')).toBeNull(); // died by signal

    // SIGSTOP another mid-job, restart PostgreSQL while it is stopped, and let it go on only after
    // its job was taken over (its lease expired) and finished by another worker.
    let pausedJob: number | undefined;
    await until('the paused worker holds a job', async () => (pausedJob = await openJob('paused', 1)) !== undefined);
    procs.get('paused')!.kill('SIGSTOP');
    server.restart();
    // work that exists only after the restart, half of it computing for twice the lease without yielding
    await until('the store answers again', async () => (await store.pending()) >= 0);
    for (let n = 30; n < 40; n++)
      await until(`job ${n} is queued`, async () => (await enqueue(n, n % 2 ? BEATS : 0)) > 0);
    await until(
      'the paused job is finished by another worker',
      async () => (await store.jobs()).find((j) => j.id === pausedJob)?.status === 'done',
    );
    procs.get('paused')!.kill('SIGCONT');
    for (const name of ['w0', 'w1', 'paused']) expect(await exits.get(name), `${name}: ${stderr.get(name)}`).toBe(0);

    const jobs = await store.jobs();
    expect(jobs).toHaveLength(40);
    expect(jobs.filter((j) => j.status !== 'done').map((j) => `${j.id} ${j.status} ${j.error}`)).toEqual([]);
    const events = await store.jobEvents();
    for (const j of jobs)
      expect(
        events.filter((e) => e.jobId === j.id && e.event === 'completed'),
        `job ${j.id}`,
      ).toHaveLength(1);
    // the killed and the paused worker's jobs were taken again after their leases expired, and finished by others
    for (const [id, name] of [
      [killedJob!, 'killed'],
      [pausedJob!, 'paused'],
    ] as const) {
      const j = jobs.find((x) => x.id === id)!;
      expect(j.completedBy).not.toBe(name);
      expect(j.attempts).toBeGreaterThanOrEqual(2);
    }
    // the paused worker noticed on waking that its lease was gone, and stopped that job's step
    expect(stderr.get('paused')).toContain(`job ${pausedJob} lease-lost`);
    // steps computing without yielding finished only after heartbeats kept their lease for twice its length
    // (how many claims they took depends on the machine's load here: 4 workers compete; the embedded test counts)
    const busy = jobs.filter((j) => ((j.payload as unknown as { params: { beats: number } }).params.beats ?? 0) > 0);
    expect(busy).toHaveLength(5);
    const summaries = await store.sql.query<{ summary: { n: number; beats: number } }>('SELECT summary FROM results');
    expect(
      summaries.filter((r) => r.summary.n >= 30 && r.summary.n % 2).map((r) => r.summary.beats),
      'heartbeats accepted while each busy step computed',
    ).toEqual(Array(5).fill(BEATS));
    // every job's result is recorded once under its own key
    expect(new Set(jobs.map((j) => (j.result as { key: string }).key)).size).toBe(40);
    const rows = await store.sql.query<{ n: string }>('SELECT count(*) AS n FROM results');
    expect(Number(rows[0].n)).toBe(40);

    // No two runs of a job overlap while each holds its lease. A lease cannot stop a process the
    // machine stalls past it (SIGSTOP here; on a loaded machine a slow scheduler or GC): the database
    // grants the job to one claim at a time, and a worker that computed on past its lease learns so
    // at its next heartbeat, stops its step and cannot complete the job. So a run holds the job from
    // its start to its end, but if it did not complete the job only until its last grant (its claim
    // or its last accepted heartbeat, from when it was sent) plus the lease.
    const pids = new Map([...procs].map(([name, p]) => [p.pid!, name]));
    const idOf = new Map(jobs.map((j) => [(j.payload as unknown as { params: { n: number } }).params.n, j.id]));
    const grants = (kind: 'claims' | 'beats') =>
      readFileSync(`${log}.${kind}`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { n: number; pid: number; sent: number });
    const claims = grants('claims');
    const beats = grants('beats');
    const runs = runsIn(log);
    const held = runs.map((r): [number, number, Run] => {
      const who = pids.get(r.pid);
      const about = () =>
        (stderr.get(who ?? '') ?? '')
          .split('\n')
          .filter((l) => l.startsWith(`job ${idOf.get(r.n)} `))
          .join('; ');
      // a run that never ended was killed, or its worker stopped it on learning it had lost the lease
      if (r.end === undefined && who !== 'killed')
        expect(about(), `run of job ${r.n} in ${who} has no end and its worker did not lose it`).toContain(
          'lease-lost',
        );
      const completed = jobs.find((j) => j.id === idOf.get(r.n))!.completedBy === who;
      const lastOfItsWorker = !runs.some((o) => o !== r && o.n === r.n && o.pid === r.pid && o.start > r.start);
      if (completed && lastOfItsWorker) return [r.start, r.end!, r];
      const claimed = claims.filter((c) => c.n === r.n && c.pid === r.pid && c.sent <= r.start).pop()!;
      const last = beats
        .filter((b) => b.n === r.n && b.pid === r.pid && b.sent >= claimed.sent && b.sent <= (r.end ?? Infinity))
        .reduce((t, b) => Math.max(t, b.sent), claimed.sent);
      return [r.start, Math.min(r.end ?? Infinity, last + LEASE_MS), r];
    });
    let pairs = 0;
    for (const [i, [s1, e1, a]] of held.entries()) {
      for (const [s2, e2, b] of held.slice(i + 1)) {
        if (a.n !== b.n) continue;
        pairs++;
        expect(
          e1 <= s2 || e2 <= s1,
          `job ${a.n} held by ${pids.get(a.pid)} [${s1}, ${e1}] and ${pids.get(b.pid)} [${s2}, ${e2}] at once; runs ${JSON.stringify(runs.filter((r) => r.n === a.n))}`,
        ).toBe(true);
      }
    }
    expect(pairs).toBeGreaterThanOrEqual(2); // the killed and the paused job each ran twice
  }, 180_000);

  it('pg-boss: job keys, retries with backoff up to maxAttempts, graceful release, cached results', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'spyglass-runs-')), 'runs.jsonl');
    const worker = (name: string) => {
      const p = spawn(process.execPath, [SCRIPT, server.url, '', name], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr!.on('data', (d) => (err += d));
      return { p, exit: new Promise<string>((resolve) => p.on('exit', (code) => resolve(`${code} ${err}`))) };
    };
    const wait = (n: number, ms: number) => ({ step: 'wait', inputs: {}, params: { n, ms, log } });
    // the same request queued twice while it waits is one job
    const slow = await store.enqueue(wait(100, 8000));
    expect(await store.enqueue(wait(100, 8000))).toBe(slow);
    const failing = await store.enqueue({ step: 'no-such-step', inputs: {} }, { maxAttempts: 2, retryDelayMs: 1000 });

    // SIGTERM mid-job: the job goes back after the grace period (the lease) without counting the attempt
    const leaver = worker('leaver');
    await until('the leaver holds the slow job', async () =>
      (await store.jobEvents()).some((e) => e.jobId === slow && e.worker === 'leaver' && e.event === 'claimed'),
    );
    leaver.p.kill('SIGTERM');
    expect(await leaver.exit).toMatch(/^0 /);
    expect((await store.jobEvents()).filter((e) => e.jobId === slow).map((e) => e.event)).toEqual([
      'claimed',
      'released',
    ]);
    expect((await store.jobs()).find((j) => j.id === slow)).toMatchObject({ status: 'queued', attempts: 0 });

    // a job queued by the home-made queue of an older version is handed to pg-boss by the next opener
    const [legacy] = await store.sql.query<{ id: string }>(
      `INSERT INTO jobs (payload) VALUES ($1::jsonb) RETURNING id`,
      [JSON.stringify(wait(102, 10))],
    );
    await (await openStore({ store: server.url })).close();

    expect(await worker('finisher').exit).toMatch(/^0 /);
    const jobs = await store.jobs();
    const byId = (id: number) => jobs.find((j) => j.id === id)!;
    expect(byId(slow)).toMatchObject({ status: 'done', completedBy: 'finisher', attempts: 1 });
    expect(byId(Number(legacy.id))).toMatchObject({ status: 'done', completedBy: 'finisher' });
    // an error is retried after its backoff, then the job fails for good on its last attempt
    expect(byId(failing)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(byId(failing).error).toContain('no-such-step');
    const failEvents = (await store.jobEvents()).filter((e) => e.jobId === failing).map((e) => e.event);
    expect(failEvents).toEqual(['claimed', 'failed', 'claimed', 'failed']);
    // the same request once its result is in the store: a new job, and a cache hit, not a second computation
    const runs = runsIn(log).length;
    const again = await store.enqueue(wait(100, 8000));
    expect(again).not.toBe(slow);
    expect(await worker('third').exit).toMatch(/^0 /);
    expect((await store.jobs()).find((j) => j.id === again)).toMatchObject({
      status: 'done',
      result: { cached: true },
    });
    expect(runsIn(log)).toHaveLength(runs);
  }, 180_000);
});

describe('idle workers LISTEN on PostgreSQL: enqueue wakes them, polling is only the fallback', () => {
  let server: PgServer;
  let store: Store;
  beforeAll(async () => {
    server = await startPgServer();
    store = await openStore({ store: server.url, resultsDir: mkdtempSync(join(tmpdir(), 'spyglass-results-')) });
  });
  afterAll(async () => {
    await store?.close().catch(() => {});
    server?.stop();
  });

  /** Worker connections LISTENing on the job channel. */
  const listeners = async () =>
    Number(
      (
        await store.sql.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE query = 'LISTEN "spyglass_jobs"'`,
        )
      )[0].n,
    );

  it('a job queued while 2 workers idle with an hour-long poll is claimed at once, also after a server restart', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'spyglass-runs-')), 'runs.jsonl');
    const workers = ['a', 'b'].map((name) => {
      const p = spawn(process.execPath, [SCRIPT, server.url, '', name], {
        env: { ...process.env, WAIT_POLL_MS: '3600000', WAIT_STAY: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const w = {
        p,
        err: '',
        exit: new Promise<string>((resolve) => p.on('exit', (code) => resolve(`${code} ${w.err}`))),
      };
      p.stderr!.on('data', (d) => (w.err += d));
      return w;
    });
    const done = async (id: number) => (await store.jobs()).find((j) => j.id === id)?.status === 'done';
    const logs = () => workers.map((w, i) => `worker ${'ab'[i]}:\n${w.err}`).join('\n');
    /** Both workers wait for work in a wait that began after `since` (their listeners were up by then). */
    const bothIdleSince = (since: number) => async () =>
      workers.every((w) => {
        const last = [...w.err.matchAll(/^wait (start|end) @(\d+)$/gm)].pop();
        return last?.[1] === 'start' && Number(last[2]) > since;
      });
    // both idle and listening, on an empty queue: only a notification can wake them before the test times out
    await until('both workers listen', async () => (await listeners()) === 2, logs);
    await until('both workers idle', bothIdleSince(0), logs);
    expect(await store.pending()).toBe(0);
    const first = await store.enqueue({ step: 'wait', inputs: {}, params: { n: 1, ms: 10, log } });
    await until('the first job is done', () => done(first), logs);

    // the server restarts: each worker's listener reconnects, listens again, and wakes its worker once
    const restartedAt = Date.now();
    server.restart();
    await until('the store answers again', async () => (await store.pending()) === 0);
    await until('both workers listen again', async () => (await listeners()) === 2, logs);
    await until('both workers idle again', bothIdleSince(restartedAt), logs);
    const second = await store.enqueue({ step: 'wait', inputs: {}, params: { n: 2, ms: 10, log } });
    await until('the second job is done', () => done(second), logs);

    const claims = (await store.jobEvents()).filter((e) => e.event === 'claimed');
    expect(claims.map((e) => e.jobId)).toEqual([first, second]);
    expect(claims.every((e) => ['a', 'b'].includes(e.worker))).toBe(true);
    for (const w of workers) w.p.kill('SIGTERM');
    // a stop that lands while a worker claims must not leave it in its hour-long wait
    const exited = Promise.all(workers.map((w) => w.exit));
    await until('both workers exit on SIGTERM', async () => workers.every((w) => w.p.exitCode !== null), logs);
    for (const code of await exited) expect(code).toMatch(/^0 /);
  }, 900_000);
});

describe('a worker on the embedded (PGlite) store', () => {
  it('runs steps off the main thread: a step computing for twice the lease keeps its lease, even across a stall', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spyglass-embedded-')), '.spyglass');
    const log = join(dir, '..', 'runs.jsonl');
    const store = await openStore({ store: dir });
    for (let n = 0; n < 4; n++)
      await store.enqueue({ step: 'wait', inputs: {}, params: { n, ms: 10, beats: n % 2 ? BEATS : 0, log } });
    await store.close(); // the folder store has one user at a time: the worker
    // the worker's event loop also stalls for twice the lease mid-job (as under heavy load): its timers fire
    // late, yet no other worker took the job, so the store still grants the lease and the job is claimed once
    const p = spawn(process.execPath, [SCRIPT, dir, join(dir, 'results'), 'solo', String(2 * LEASE_MS)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    expect(await new Promise((resolve) => p.on('exit', resolve)), err).toBe(0);
    const after = await openStore({ store: dir });
    const jobs = await after.jobs();
    const events = await after.jobEvents();
    await after.close();
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(events.filter((e) => e.event === 'claimed')).toHaveLength(4);
    expect(err).not.toContain('lease-lost');
    expect(runsIn(log).map((r) => r.pid)).toEqual([p.pid, p.pid, p.pid, p.pid]);
    const beats = readFileSync(`${log}.beats`, 'utf8').trim().split('\n');
    for (const n of [1, 3]) expect(beats.filter((l) => JSON.parse(l).n === n).length).toBeGreaterThanOrEqual(BEATS);
  }, 300_000);
});
