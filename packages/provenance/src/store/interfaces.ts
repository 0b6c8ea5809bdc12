import type { Activity, Entity, ResultRecord } from '../records.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Job, JobPayload } from './job-queue.js';

/**
 * The results repository: entities, activities, results and their lineage, and the blob store
 * holding result files. What the runner, export, verify and `log` need.
 */
export interface ResultRepository {
  readonly blobs: BlobStore;
  /** Where the database is (a folder, `idb://…`, `memory://`, a postgres URL without password). */
  readonly location: string;
  /** Result files are flushed to stable storage before their rows are committed. */
  readonly durable: boolean;
  getResult(key: string): Promise<ResultRecord | undefined>;
  findResults(prefix: string): Promise<string[]>;
  getEntity(id: string): Promise<Entity | undefined>;
  fileChecksum(path: string, stat: { size: number; mtimeMs: number }): Promise<string | undefined>;
  commitResult(
    entities: Entity[],
    activity: Activity,
    result: Omit<ResultRecord, 'activity' | 'status'>,
  ): Promise<boolean>;
  invalidate(entityId: string): Promise<string[]>;
  lineage(key: string): Promise<ResultRecord[]>;
}

/** The job queue workers take work from (leases, heartbeats, exactly-once completion). */
export interface JobQueue {
  /** Queues a job; `retryDelayMs` is the first retry's delay where the queue backs off (pg-boss). */
  enqueue(payload: JobPayload, options?: { maxAttempts?: number; retryDelayMs?: number }): Promise<number>;
  claim(worker: string, leaseMs: number): Promise<Job | undefined>;
  heartbeat(job: Job, leaseMs: number): Promise<boolean>;
  complete(job: Job, result: unknown): Promise<boolean>;
  fail(job: Job, error: string): Promise<boolean>;
  /** Puts a running job back without counting the attempt (graceful shutdown). */
  release(job: Job): Promise<boolean>;
  /** Jobs queued or running. */
  pending(): Promise<number>;
  jobs(): Promise<Job[]>;
  /**
   * An idle worker waits here: until a job may be claimable (woken by enqueue where the engine
   * notifies, by a retry's due time, or by a stalled job's expiry) or `pollMs` passed (default
   * 1 s, 30 s where enqueue wakes workers), or `signal` aborts.
   */
  waitForJob(pollMs: number | undefined, signal?: AbortSignal): Promise<void>;
  /** A worker starts the queue's housekeeping (stalled-job recovery) for its lease, where the engine has one. */
  supervise?(leaseMs: number): Promise<void>;
}
