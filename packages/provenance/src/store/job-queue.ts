import type { Sql } from './sql.js';
import type { JobQueue } from './interfaces.js';

/** A queued unit of work: one step on given inputs, or a whole pipeline on one file. */
export type JobPayload =
  | {
      step: string;
      inputs: Record<string, { file: string } | { result: string }>;
      params?: Record<string, unknown> | string;
    }
  | { pipeline: import('../pipeline-spec.js').Pipeline; file: string };

export interface Job {
  id: number;
  payload: JobPayload;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  leaseOwner: string | null;
  leaseToken: string | null;
  completedBy: string | null;
  result: unknown;
  error: string | null;
}

/**
 * The embedded job queue: rows in the store's `jobs` table, claimed with `FOR UPDATE SKIP LOCKED`
 * and a lease that heartbeats extend; completion only while holding the lease. The other half of
 * the store (the first is SqlResultRepository).
 *
 * @example
 * const queue = new SqlJobQueue(sql);
 * const id = await queue.enqueue({ step: 'lfp', inputs: { raw: { file: '/data/day1.nwb' } } });
 */
export class SqlJobQueue implements JobQueue {
  constructor(protected readonly sql: Sql) {}

  /** Housekeeping for workers: none here (claim() itself takes over jobs whose lease expired). */
  async supervise(_leaseMs: number): Promise<void> {}

  /** Stops the queue's own activity before its database closes (none here). */
  async stop(): Promise<void> {}

  /** Nothing wakes an idle worker of the embedded store early: it polls (one process uses the store anyway). */
  async waitForJob(pollMs: number | undefined, signal?: AbortSignal): Promise<void> {
    await sleep(pollMs ?? 1000, signal);
  }

  async enqueue(payload: JobPayload, options: { maxAttempts?: number } = {}): Promise<number> {
    const rows = await this.sql.query<{ id: string }>(
      `INSERT INTO jobs (payload, max_attempts) VALUES ($1::jsonb, $2) RETURNING id`,
      [JSON.stringify(payload), options.maxAttempts ?? 3],
    );
    return Number(rows[0].id);
  }

  /**
   * Takes the oldest job that is queued or whose lease expired (its worker died), with
   * `FOR UPDATE SKIP LOCKED` so concurrent workers never take the same row, and leases it. A job
   * whose lease expired on its last allowed attempt is failed instead of taken again.
   */
  async claim(worker: string, leaseMs: number): Promise<Job | undefined> {
    const token = `${worker}:${Date.now()}:${Math.random().toString(36).slice(2)}`;
    return this.sql.transaction(async (tx) => {
      const spent = await tx.query<{ id: string }>(
        `UPDATE jobs SET status = 'failed', error = 'its worker stopped answering on each of its ' || attempts || ' attempts (lease expired)',
                lease_owner = NULL, lease_token = NULL, lease_expires = NULL, updated_at = now()
         WHERE id IN (SELECT id FROM jobs WHERE status = 'running' AND lease_expires < now() AND attempts >= max_attempts
                      FOR UPDATE SKIP LOCKED)
         RETURNING id`,
      );
      for (const r of spent)
        await tx.query(
          `INSERT INTO job_events (job_id, worker, event, detail) VALUES ($1, $2, 'failed', 'lease expired on the last attempt')`,
          [r.id, worker],
        );
      const rows = await tx.query<JobRow>(
        `UPDATE jobs SET status = 'running', lease_owner = $1, lease_token = $2,
                lease_expires = now() + make_interval(secs => $3::double precision / 1000),
                attempts = attempts + 1, updated_at = now()
         WHERE id = (SELECT id FROM jobs
                     WHERE status = 'queued' OR (status = 'running' AND lease_expires < now())
                     ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
         RETURNING *`,
        [worker, token, leaseMs],
      );
      if (!rows[0]) return undefined;
      await tx.query(`INSERT INTO job_events (job_id, worker, event) VALUES ($1, $2, 'claimed')`, [rows[0].id, worker]);
      return toJob(rows[0]);
    });
  }

  /** Extends a lease; false when it was lost (expired and taken by another worker). */
  async heartbeat(job: Job, leaseMs: number): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE jobs SET lease_expires = now() + make_interval(secs => $3::double precision / 1000), updated_at = now()
       WHERE id = $1 AND lease_token = $2 AND status = 'running' RETURNING id`,
      [job.id, job.leaseToken, leaseMs],
    );
    return rows.length > 0;
  }

  /** Completes a job only while still holding its lease, so no job completes twice. */
  async complete(job: Job, result: unknown): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE jobs SET status = 'done', completed_by = lease_owner, result = $3::jsonb, lease_expires = NULL, updated_at = now()
         WHERE id = $1 AND lease_token = $2 AND status = 'running' RETURNING id`,
        [job.id, job.leaseToken, JSON.stringify(result ?? null)],
      );
      await tx.query(`INSERT INTO job_events (job_id, worker, event) VALUES ($1, $2, $3)`, [
        job.id,
        job.leaseOwner,
        rows.length ? 'completed' : 'lease-lost',
      ]);
      return rows.length > 0;
    });
  }

  /**
   * Puts a job back in the queue without counting the attempt (a worker shutting down before it
   * finished); false when the lease was already lost.
   */
  async release(job: Job): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), lease_owner = NULL, lease_token = NULL,
                lease_expires = NULL, updated_at = now()
         WHERE id = $1 AND lease_token = $2 AND status = 'running' RETURNING id`,
        [job.id, job.leaseToken],
      );
      if (rows.length)
        await tx.query(`INSERT INTO job_events (job_id, worker, event) VALUES ($1, $2, 'released')`, [
          job.id,
          job.leaseOwner,
        ]);
      return rows.length > 0;
    });
  }

  /** Records a job's error; it is queued again until it has failed `max_attempts` times. */
  async fail(job: Job, error: string): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                error = $3, lease_owner = NULL, lease_token = NULL, lease_expires = NULL, updated_at = now()
         WHERE id = $1 AND lease_token = $2 AND status = 'running' RETURNING id`,
        [job.id, job.leaseToken, error],
      );
      await tx.query(`INSERT INTO job_events (job_id, worker, event, detail) VALUES ($1, $2, 'failed', $3)`, [
        job.id,
        job.leaseOwner,
        error,
      ]);
      return rows.length > 0;
    });
  }

  /** How many jobs are queued or running (an idle worker waits while another's lease may still expire). */
  async pending(): Promise<number> {
    const rows = await this.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM jobs WHERE status IN ('queued', 'running')`,
    );
    return Number(rows[0].n);
  }

  async jobs(): Promise<Job[]> {
    return (await this.sql.query<JobRow>(`SELECT * FROM jobs ORDER BY id`)).map(toJob);
  }

  /** Appends to the job's event log (claims, completions, failures, lost leases). */
  protected async logEvent(tx: Sql, jobId: number | string, worker: string | null, event: string, detail?: string) {
    await tx.query(`INSERT INTO job_events (job_id, worker, event, detail) VALUES ($1, $2, $3, $4)`, [
      jobId,
      worker ?? '',
      event,
      detail ?? null,
    ]);
  }

  async jobEvents(): Promise<{ jobId: number; worker: string; event: string; detail: string | null }[]> {
    const rows = await this.sql.query<{ job_id: string; worker: string; event: string; detail: string | null }>(
      `SELECT job_id, worker, event, detail FROM job_events ORDER BY id`,
    );
    return rows.map((r) => ({ jobId: Number(r.job_id), worker: r.worker, event: r.event, detail: r.detail }));
  }
}

export interface JobRow {
  id: string | number;
  payload: JobPayload;
  status: Job['status'];
  attempts: number;
  lease_owner: string | null;
  lease_token: string | null;
  completed_by: string | null;
  result: unknown;
  error: string | null;
}

export function toJob(r: JobRow): Job {
  return {
    id: Number(r.id),
    payload: r.payload,
    status: r.status,
    attempts: Number(r.attempts),
    leaseOwner: r.lease_owner,
    leaseToken: r.lease_token,
    completedBy: r.completed_by,
    result: r.result,
    error: r.error,
  };
}

/**
 * Waits `ms`, or less when `signal` aborts or `onWake` is handed the wake-up and calls it; its
 * listeners and timer go when it ends (idle polls add up). A signal aborted already ends it at once
 * (its abort event has fired: a worker stopped while it claimed would otherwise sleep a whole poll).
 */
export function sleep(ms: number, signal?: AbortSignal, onWake?: (wake: () => void) => () => void): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', wake);
      forget?.();
      resolve();
    };
    const t = setTimeout(wake, ms);
    signal?.addEventListener('abort', wake, { once: true });
    // onWake keeps `wake` for later; it must not call it at once
    const forget = onWake?.(wake);
  });
}
