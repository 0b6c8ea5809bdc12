import type PgBoss from 'pg-boss';
import { StoreError } from '@spyglass-wasm/core';
import { hashJson } from '../hash.js';
import { pgBoss } from '../platform.node.js';
import type { Listener, Sql } from './sql.js';
import { sleep, SqlJobQueue, toJob, type Job, type JobPayload, type JobRow } from './job-queue.js';

/** The pg-boss queue (one partition of `pgboss.job`) all Spyglass jobs of a store go to. */
const QUEUE = 'spyglass-jobs';
/** The channel enqueue NOTIFYs (in its transaction, so on commit) and idle workers LISTEN on. */
const CHANNEL = 'spyglass_jobs';
/** An idle worker's longest wait while it listens (a fallback: notifications wake it at once). */
const LISTENING_POLL_MS = 30_000;
/** Default first retry delay; pg-boss doubles it (with jitter) on each further retry. */
const RETRY_DELAY_MS = 2000;

type BossDb = { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
/** pg-boss runs its SQL through our connection pool, or inside one of our transactions. */
const bossDb = (sql: Sql): BossDb => ({
  executeSql: async (text, values) => ({ rows: await sql.query(text, values) }),
});

/** Raised inside an enqueue transaction to roll it back: a job with the same key is already queued. */
class DuplicateJob extends Error {}

/**
 * The PostgreSQL store's job queue on pg-boss (pinned version; see the README for why pg-boss):
 * pg-boss owns scheduling (SKIP LOCKED fetch, retries with exponential backoff, job keys,
 * expiry of stalled jobs by its maintenance); the store's `jobs` table keeps the numbered record
 * of each job (payload, result, who completed it) and `job_events` its history, both written in
 * the same transactions as pg-boss's state changes.
 *
 * A claim's lease token is (engine id, pg-boss retry count): a job that expired and was fetched
 * again has a new count, so its first worker can neither heartbeat nor complete it any more.
 * Heartbeats extend the job's `expire_in`, which pg-boss's maintenance compares with `started_on`.
 *
 * @example
 * const queue = await PgBossJobQueue.start(sql);
 * const id = await queue.enqueue({ step: 'lfp', inputs: { raw: { file: '/data/day1.nwb' } } });
 */
export class PgBossJobQueue extends SqlJobQueue {
  private supervisor?: PgBoss;
  private maintenanceMs?: number;
  private listener?: Promise<Listener | undefined>;
  /** Notifications received, and how many there were when claim() last looked. */
  private wakeups = 0;
  private wakeupsSeen = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(
    sql: Sql,
    private readonly boss: PgBoss,
    private readonly Boss: typeof PgBoss,
  ) {
    super(sql);
  }

  /** Installs (or migrates) pg-boss's schema and the store's queue; housekeeping starts with supervise(). */
  static async start(sql: Sql): Promise<PgBossJobQueue> {
    const mod = (await pgBoss()) as unknown as { default?: typeof PgBoss };
    const Boss = mod.default ?? (mod as unknown as typeof PgBoss);
    const boss = new Boss({ db: bossDb(sql), supervise: false, schedule: false, migrate: true });
    boss.on('error', () => {}); // its housekeeping retries on the next tick (e.g. while the server restarts)
    await boss.start();
    // a waiting job is kept a year (pg-boss's default, 14 days, would drop a long backlog unrun)
    await boss.createQueue(QUEUE, { name: QUEUE, policy: 'short', retryBackoff: true, retentionMinutes: 525_600 });
    const queue = new PgBossJobQueue(sql, boss, Boss);
    await queue.adoptUnscheduled();
    return queue;
  }

  /**
   * Hands pg-boss the unfinished jobs of a store made before it scheduled them (the home-made
   * queue's rows: queued, or running under a worker of that version), as new attempts.
   */
  private async adoptUnscheduled(): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; payload: JobPayload; max_attempts: number }>(
        `SELECT id, payload, max_attempts FROM jobs WHERE engine_id IS NULL AND status IN ('queued', 'running')
         ORDER BY id FOR UPDATE SKIP LOCKED`,
      );
      for (const r of rows) {
        const engineId = await this.boss.send(QUEUE, { job: Number(r.id) }, {
          db: bossDb(tx),
          singletonKey: `adopted:${r.id}`, // its own key: the queue's policy allows one waiting job per key
          retryLimit: Math.max(0, Number(r.max_attempts) - 1),
          retryDelay: RETRY_DELAY_MS / 1000,
          retryBackoff: true,
        } as PgBoss.SendOptions);
        await tx.query(`UPDATE jobs SET engine_id = $2, job_key = $3, status = 'queued' WHERE id = $1`, [
          r.id,
          engineId,
          await hashJson(r.payload),
        ]);
      }
      if (rows.length) await notify(tx);
    });
  }

  /**
   * Starts pg-boss's maintenance in this process (a worker): it expires jobs whose worker went
   * silent past its lease and re-queues them with backoff, or fails them after their last attempt.
   * Runs at most once per period across all workers, a period of half a lease (1 s to 60 s).
   */
  override async supervise(leaseMs: number): Promise<void> {
    if (this.supervisor) return;
    await this.listen(); // before the first claim, so no enqueue between that claim and a wait is missed
    const seconds = Math.min(60, Math.max(1, Math.round(leaseMs / 2000)));
    this.maintenanceMs = seconds * 1000;
    const boss = new this.Boss({
      db: bossDb(this.sql),
      supervise: true,
      maintenanceIntervalSeconds: seconds,
      schedule: false,
      migrate: false,
    });
    boss.on('error', () => {});
    await boss.start();
    this.supervisor = boss;
  }

  override async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = Promise.resolve(undefined);
    await (await listener)?.close();
    this.wake();
    await this.supervisor?.stop({ graceful: false, close: false });
    await this.boss.stop({ graceful: false, close: false });
  }

  /**
   * Queues a job under its key (the hash of its canonical payload): while a job with the same key
   * waits in the queue, enqueueing it again returns that job's id instead of adding another.
   */
  override async enqueue(
    payload: JobPayload,
    options: { maxAttempts?: number; retryDelayMs?: number } = {},
  ): Promise<number> {
    const key = await hashJson(payload);
    for (let tries = 0; ; tries++) {
      try {
        return await this.sql.transaction(async (tx) => {
          const [row] = await tx.query<{ id: string }>(
            `INSERT INTO jobs (payload, max_attempts, job_key) VALUES ($1::jsonb, $2, $3) RETURNING id`,
            [JSON.stringify(payload), options.maxAttempts ?? 3, key],
          );
          const engineId = await this.boss.send(QUEUE, { job: Number(row.id) }, {
            db: bossDb(tx),
            singletonKey: key,
            retryLimit: (options.maxAttempts ?? 3) - 1,
            retryDelay: Math.max(1, Math.round((options.retryDelayMs ?? RETRY_DELAY_MS) / 1000)),
            retryBackoff: true,
          } as PgBoss.SendOptions);
          if (!engineId) throw new DuplicateJob();
          await tx.query(`UPDATE jobs SET engine_id = $2 WHERE id = $1`, [row.id, engineId]);
          await notify(tx);
          return Number(row.id);
        });
      } catch (err) {
        if (!(err instanceof DuplicateJob)) throw err;
        const [queued] = await this.sql.query<{ id: string }>(
          `SELECT j.id FROM jobs j JOIN pgboss.job b ON b.name = $1 AND b.id = j.engine_id
           WHERE b.singleton_key = $2 AND b.state = 'created' ORDER BY j.id LIMIT 1`,
          [QUEUE, key],
        );
        if (queued) return Number(queued.id);
        if (tries >= 3) throw new StoreError(`could not queue, nor find queued, the job ${key}`, err);
        // the queued twin was fetched in between: this one can be queued now
      }
    }
  }

  /** Fetches the next job (pg-boss: SKIP LOCKED, retries after their backoff) and leases it for `leaseMs`. */
  override async claim(worker: string, leaseMs: number): Promise<Job | undefined> {
    this.wakeupsSeen = this.wakeups;
    return this.sql.transaction(async (tx) => {
      const [fetched] = (await this.boss.fetch(QUEUE, { batchSize: 1, includeMetadata: true, db: bossDb(tx) } as {
        batchSize: number;
        includeMetadata: true;
      })) as unknown as { id: string; data: { job: number }; retryCount: number }[];
      if (!fetched) return undefined;
      await tx.query(
        `UPDATE pgboss.job SET expire_in = make_interval(secs => $3::double precision / 1000) WHERE name = $1 AND id = $2`,
        [QUEUE, fetched.id, leaseMs],
      );
      const rows = await tx.query<JobRow>(
        `UPDATE jobs SET status = 'running', attempts = $2, lease_owner = $3, lease_token = $4, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [fetched.data.job, fetched.retryCount + 1, worker, `${fetched.id}:${fetched.retryCount}`],
      );
      await this.logEvent(tx, fetched.data.job, worker, 'claimed');
      return toJob(rows[0]);
    });
  }

  /** Extends the lease: the job now expires `leaseMs` from now. False when the lease was lost. */
  override async heartbeat(job: Job, leaseMs: number): Promise<boolean> {
    const [id, attempt] = lease(job);
    const rows = await this.sql.query(
      `UPDATE pgboss.job SET expire_in = (now() - started_on) + make_interval(secs => $4::double precision / 1000)
       WHERE name = $1 AND id = $2 AND state = 'active' AND retry_count = $3 RETURNING id`,
      [QUEUE, id, attempt, leaseMs],
    );
    return rows.length > 0;
  }

  /** Completes the job in pg-boss and records its result, only while this claim still holds it. */
  override async complete(job: Job, result: unknown): Promise<boolean> {
    return this.settle(job, 'completed', async (tx, engineId) => {
      await this.boss.complete(QUEUE, engineId, { by: job.leaseOwner }, { db: bossDb(tx) } as object);
      await tx.query(
        `UPDATE jobs SET status = 'done', completed_by = lease_owner, result = $2::jsonb, updated_at = now() WHERE id = $1`,
        [job.id, JSON.stringify(result ?? null)],
      );
    });
  }

  /** Fails this attempt: pg-boss queues it again after its backoff, or fails it after the last attempt. */
  override async fail(job: Job, error: string): Promise<boolean> {
    return this.settle(
      job,
      'failed',
      async (tx, engineId) => {
        await this.boss.fail(QUEUE, engineId, { message: error }, { db: bossDb(tx) } as object);
        const [b] = await tx.query<{ state: string }>(`SELECT state FROM pgboss.job WHERE name = $1 AND id = $2`, [
          QUEUE,
          engineId,
        ]);
        await tx.query(`UPDATE jobs SET status = $2, error = $3, updated_at = now() WHERE id = $1`, [
          job.id,
          b?.state === 'failed' ? 'failed' : 'queued',
          error,
        ]);
      },
      error,
    );
  }

  /** Gives the job back at once without counting the attempt (a worker shutting down). */
  override async release(job: Job): Promise<boolean> {
    return this.settle(job, 'released', async (tx, engineId) => {
      // pg-boss has no "un-fetch": back to `retry`, due now, and not started (its next fetch does not count)
      await tx.query(
        `UPDATE pgboss.job SET state = 'retry', started_on = NULL, start_after = now() WHERE name = $1 AND id = $2`,
        [QUEUE, engineId],
      );
      await tx.query(
        `UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), updated_at = now() WHERE id = $1`,
        [job.id],
      );
      await notify(tx);
    });
  }

  /**
   * Waits until a job may be claimable: woken at once by an enqueue's or a release's NOTIFY (on a
   * LISTEN connection of this queue's own, which reconnects after a server restart and then wakes
   * its waiters), else at the next retry's due time, at the next stalled-job expiry check while
   * other workers run jobs, or after `pollMs` (default 30 s; 1 s while the listener is down).
   */
  override async waitForJob(pollMs: number | undefined, signal?: AbortSignal): Promise<void> {
    const listener = await this.listen();
    if (this.wakeups !== this.wakeupsSeen) return; // notified since the last claim looked
    const [next] = await this.sql.query<{ due: string | null; active: boolean | null }>(
      `SELECT extract(epoch FROM min(start_after) FILTER (WHERE state IN ('created', 'retry')) - now()) * 1000 AS due,
              bool_or(state = 'active') AS active
       FROM pgboss.job WHERE name = $1 AND state < 'completed'`,
      [QUEUE],
    );
    let ms = pollMs ?? (listener?.connected ? LISTENING_POLL_MS : 1000);
    if (next?.due != null) ms = Math.min(ms, Math.max(50, Number(next.due)));
    if (next?.active && this.maintenanceMs) ms = Math.min(ms, this.maintenanceMs);
    if (this.wakeups !== this.wakeupsSeen) return;
    await sleep(ms, signal, (wake) => {
      this.waiters.add(wake);
      return () => this.waiters.delete(wake);
    });
  }

  /** Starts this queue's LISTEN connection once (PostgreSQL only). */
  private listen(): Promise<Listener | undefined> {
    this.listener ??= this.sql.listen?.(CHANNEL, () => this.wake()) ?? Promise.resolve(undefined);
    return this.listener;
  }

  /** A notification (or a reconnection): wakes every waiting worker loop. */
  private wake(): void {
    this.wakeups++;
    for (const w of [...this.waiters]) w();
  }

  /** Jobs waiting (also for a retry's backoff) or running. */
  override async pending(): Promise<number> {
    const rows = await this.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state < 'completed'`,
      [QUEUE],
    );
    return Number(rows[0].n);
  }

  /**
   * Every job, its status and attempts as pg-boss has them while it is in flight (a job whose
   * worker died is re-queued or failed by pg-boss, not by a worker).
   */
  override async jobs(): Promise<Job[]> {
    const rows = await this.sql.query<JobRow>(
      `SELECT j.id, j.payload, j.lease_owner, j.lease_token, j.completed_by, j.result,
              CASE WHEN j.status IN ('done', 'failed') OR b.state IS NULL THEN j.status
                   WHEN b.state = 'active' THEN 'running'
                   WHEN b.state IN ('created', 'retry') THEN 'queued'
                   WHEN b.state = 'completed' THEN 'done' ELSE 'failed' END AS status,
              CASE WHEN b.state IS NULL THEN j.attempts
                   ELSE b.retry_count + (CASE WHEN b.started_on IS NULL THEN 0 ELSE 1 END) END AS attempts,
              CASE WHEN j.status IN ('done', 'failed') OR b.state IS DISTINCT FROM 'failed' THEN j.error
                   -- failed by pg-boss's housekeeping: its worker went silent on the last attempt
                   ELSE 'its worker stopped answering (lease expired) on attempt ' || (b.retry_count + 1) END AS error
       FROM jobs j LEFT JOIN LATERAL (
         -- pg-boss moves finished jobs to its archive after a while
         SELECT state, retry_count, started_on FROM pgboss.job WHERE name = $1 AND id = j.engine_id
         UNION ALL SELECT state, retry_count, started_on FROM pgboss.archive WHERE name = $1 AND id = j.engine_id
         LIMIT 1) b ON true
       ORDER BY j.id`,
      [QUEUE],
    );
    return rows.map(toJob);
  }

  /**
   * Runs a settling change in one transaction with this claim's pg-boss row locked, only while the
   * claim still holds it (same attempt, still active); logs the outcome or the lost lease.
   */
  private async settle(
    job: Job,
    event: 'completed' | 'failed' | 'released',
    change: (tx: Sql, engineId: string) => Promise<void>,
    detail?: string,
  ): Promise<boolean> {
    const [id, attempt] = lease(job);
    return this.sql.transaction(async (tx) => {
      const held = await tx.query(
        `SELECT id FROM pgboss.job WHERE name = $1 AND id = $2 AND state = 'active' AND retry_count = $3 FOR UPDATE`,
        [QUEUE, id, attempt],
      );
      if (held.length) await change(tx, id);
      // a release of a job no longer held is a no-op (a shutdown racing its lease), not an event
      if (held.length || event !== 'released')
        await this.logEvent(tx, job.id, job.leaseOwner, held.length ? event : 'lease-lost', detail);
      return held.length > 0;
    });
  }
}

/** NOTIFYs idle workers; inside a transaction, on its commit. */
async function notify(tx: Sql): Promise<void> {
  await tx.query(`SELECT pg_notify($1, '')`, [CHANNEL]);
}

/** A claim's lease token: the pg-boss job id and the retry count it was fetched with. */
function lease(job: Job): [string, number] {
  const [id, attempt] = (job.leaseToken ?? ':').split(':');
  return [id, Number(attempt)];
}
