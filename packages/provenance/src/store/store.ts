import { StoreError } from '@spyglass-wasm/core';
import { migrate } from './migrations.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Sql } from './sql.js';
import type { JobQueue } from './interfaces.js';
import { SqlResultRepository } from './result-repository.js';
import { SqlJobQueue, type Job, type JobPayload } from './job-queue.js';

export type { Job, JobPayload } from './job-queue.js';

/**
 * The provenance store: the results repository (SqlResultRepository) and the job queue
 * (SqlJobQueue) over one SQL database, PGlite (embedded) or PostgreSQL (shared). Result files live
 * under `resultsDir`. openStore returns one; `store.queue` is the queue on its own.
 *
 * @example
 * const store = await openStore({ cwd: process.cwd() });
 * const r = await store.getResult(key);
 */
export class Store extends SqlResultRepository implements JobQueue {
  /** The job queue half, sharing this store's database (pg-boss on PostgreSQL, SqlJobQueue embedded). */
  readonly queue: SqlJobQueue;

  private constructor(
    sql: Sql,
    blobs: BlobStore,
    location: string,
    private readonly unlock: () => Promise<void>,
    durable: boolean,
    queue: SqlJobQueue | undefined,
  ) {
    super(sql, blobs, location, durable);
    this.queue = queue ?? new SqlJobQueue(sql);
  }

  /**
   * Migrates and wraps a database; `release` runs after close (e.g. dropping a folder lock);
   * `queue` starts the job queue on the migrated database (default: the embedded SqlJobQueue).
   */
  static async open(
    sql: Sql,
    blobs: BlobStore,
    location: string,
    {
      release = async () => {},
      durable = true,
      queue,
    }: { release?: () => Promise<void>; durable?: boolean; queue?: (sql: Sql) => Promise<SqlJobQueue> } = {},
  ): Promise<Store> {
    let q: SqlJobQueue | undefined;
    try {
      await migrate(sql);
      q = await queue?.(sql);
    } catch (err) {
      await sql.close().catch(() => {});
      await release();
      throw new StoreError(`cannot prepare the store at ${location}: ${(err as Error).message}`);
    }
    return new Store(sql, blobs, location, release, durable, q);
  }

  /** The results folder, for stores whose result files are local files (Node). */
  get resultsDir(): string {
    return this.blobs.location;
  }

  async close(): Promise<void> {
    try {
      await this.queue.stop();
      await this.sql.close();
    } finally {
      await this.unlock();
    }
  }

  waitForJob(pollMs: number | undefined, signal?: AbortSignal): Promise<void> {
    return this.queue.waitForJob(pollMs, signal);
  }
  enqueue(payload: JobPayload, options?: { maxAttempts?: number; retryDelayMs?: number }): Promise<number> {
    return this.queue.enqueue(payload, options);
  }
  claim(worker: string, leaseMs: number): Promise<Job | undefined> {
    return this.queue.claim(worker, leaseMs);
  }
  heartbeat(job: Job, leaseMs: number): Promise<boolean> {
    return this.queue.heartbeat(job, leaseMs);
  }
  complete(job: Job, result: unknown): Promise<boolean> {
    return this.queue.complete(job, result);
  }
  fail(job: Job, error: string): Promise<boolean> {
    return this.queue.fail(job, error);
  }
  release(job: Job): Promise<boolean> {
    return this.queue.release(job);
  }
  pending(): Promise<number> {
    return this.queue.pending();
  }
  jobs(): Promise<Job[]> {
    return this.queue.jobs();
  }
  supervise(leaseMs: number): Promise<void> {
    return this.queue.supervise(leaseMs);
  }
  jobEvents(): ReturnType<SqlJobQueue['jobEvents']> {
    return this.queue.jobEvents();
  }
}
