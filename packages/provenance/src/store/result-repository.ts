import { StoreError } from '@spyglass-wasm/core';
import type { Activity, Entity, ResultRecord } from '../records.js';
import { resultEntityId } from '../records.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Sql } from './sql.js';
import type { ResultRepository } from './interfaces.js';

/**
 * Results, activities, entities and lineage in SQL (PGlite or PostgreSQL), with the result files
 * in `blobs`. One half of the store (the other is SqlJobQueue).
 *
 * @example
 * const repo = new SqlResultRepository(sql, new FsBlobStore('/lab/results'), 'postgres://lab/spyglass', true);
 * const r = await repo.getResult(key);
 */
export class SqlResultRepository implements ResultRepository {
  constructor(
    readonly sql: Sql,
    /** Where result files (and analysis files) live, shared by everyone using this store. */
    readonly blobs: BlobStore,
    /** Where the database is: a folder, `idb://…`, `memory://` or a postgres URL without password. */
    readonly location: string,
    /** Result files are flushed to disk (fsync) before they are renamed and committed. */
    readonly durable: boolean,
  ) {}

  async getResult(key: string): Promise<ResultRecord | undefined> {
    const rows = await this.sql.query<Row>(
      `SELECT r.key, r.step, r.file, r.checksum, r.summary, r.status, a.version, a.params, a.params_hash, a.param_set_name,
              a.inputs, a.outputs, a.started_at, a.ended_at, a.agent, a.runtime
       FROM results r JOIN activities a ON a.key = r.key WHERE r.key = $1`,
      [key],
    );
    return rows[0] && toResult(rows[0]);
  }

  /** Results whose key starts with `prefix` (for short ids on the command line). */
  async findResults(prefix: string): Promise<string[]> {
    const rows = await this.sql.query<{ key: string }>(
      `SELECT key FROM results WHERE key LIKE $1 ORDER BY key LIMIT 5`,
      [`${prefix.replace(/[%_]/g, '')}%`],
    );
    return rows.map((r) => r.key);
  }

  async getEntity(id: string): Promise<Entity | undefined> {
    const rows = await this.sql.query<Entity & { meta: Record<string, unknown> }>(
      `SELECT id, kind, label, checksum, path, meta FROM entities WHERE id = $1`,
      [id],
    );
    return (
      rows[0] && {
        ...rows[0],
        label: rows[0].label ?? undefined,
        checksum: rows[0].checksum ?? undefined,
        path: rows[0].path ?? undefined,
      }
    );
  }

  /** The checksum recorded for a file at `path` when its size and mtime still match. */
  async fileChecksum(path: string, stat: { size: number; mtimeMs: number }): Promise<string | undefined> {
    const rows = await this.sql.query<{ checksum: string; meta: { size?: number; mtimeMs?: number } }>(
      `SELECT checksum, meta FROM entities WHERE kind = 'file' AND path = $1`,
      [path],
    );
    return rows.find((r) => r.meta?.size === stat.size && r.meta?.mtimeMs === stat.mtimeMs)?.checksum;
  }

  /**
   * Records a finished run in one transaction: its input entities, the activity, lineage rows and
   * the result. Call only after the result file is in place, so a row never points at nothing.
   * A second commit of the same key (two workers racing) keeps the first and returns false.
   */
  async commitResult(
    entities: Entity[],
    activity: Activity,
    result: Omit<ResultRecord, 'activity' | 'status'>,
  ): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      for (const e of entities) await upsertEntity(tx, e);
      await upsertEntity(tx, {
        id: resultEntityId(activity.key),
        kind: 'result',
        label: activity.step,
        checksum: result.checksum,
        path: result.file,
      });
      if (activity.paramSetName) {
        await tx.query(
          `INSERT INTO parameter_sets (step, name, params_hash, params) VALUES ($1, $2, $3, $4::jsonb)
           ON CONFLICT (step, name) DO UPDATE SET params_hash = EXCLUDED.params_hash, params = EXCLUDED.params`,
          [activity.step, activity.paramSetName, activity.paramsHash, JSON.stringify(activity.params)],
        );
      }
      const inserted = await tx.query(
        `INSERT INTO activities (key, step, version, params, params_hash, param_set_name, inputs, outputs, started_at, ended_at, agent, runtime)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11, $12::jsonb)
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [
          activity.key,
          activity.step,
          JSON.stringify(activity.version),
          JSON.stringify(activity.params),
          activity.paramsHash,
          activity.paramSetName ?? null,
          JSON.stringify(activity.inputs),
          JSON.stringify(activity.outputs),
          activity.startedAt,
          activity.endedAt,
          activity.agent,
          JSON.stringify(activity.runtime),
        ],
      );
      if (inserted.length === 0) {
        // Same key already recorded: revalidate an invalidated result with the fresh file.
        const revalidated = await tx.query(
          `UPDATE results SET file = $2, checksum = $3, summary = $4::jsonb, status = 'valid' WHERE key = $1 AND status = 'invalid' RETURNING key`,
          [result.key, result.file, result.checksum, JSON.stringify(result.summary)],
        );
        return revalidated.length > 0;
      }
      for (const [role, id] of Object.entries(activity.inputs)) {
        await tx.query(`INSERT INTO lineage (key, role, input_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
          activity.key,
          role,
          id,
        ]);
      }
      await tx.query(`INSERT INTO results (key, step, file, checksum, summary) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
        result.key,
        result.step,
        result.file,
        result.checksum,
        JSON.stringify(result.summary),
      ]);
      return true;
    });
  }

  /**
   * Marks every result downstream of an entity (a file, a result) invalid, transitively, and
   * returns their keys. Invalid results are recomputed on next use.
   */
  async invalidate(entityId: string): Promise<string[]> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.query<{ key: string }>(
        `WITH RECURSIVE down(key) AS (
           SELECT key FROM lineage WHERE input_id = $1
           UNION SELECT l.key FROM lineage l JOIN down d ON l.input_id = 'result:' || d.key)
         UPDATE results SET status = 'invalid' WHERE key IN (SELECT key FROM down) RETURNING key`,
        [entityId],
      );
      if (entityId.startsWith('result:')) {
        await tx.query(`UPDATE results SET status = 'invalid' WHERE key = $1`, [entityId.slice(7)]);
      }
      return rows.map((r) => r.key);
    });
  }

  /** Every result upstream of (and including) `key`, inputs before the results that used them. */
  async lineage(key: string): Promise<ResultRecord[]> {
    const seen = new Map<string, ResultRecord>();
    const order: ResultRecord[] = [];
    const visit = async (k: string): Promise<void> => {
      if (seen.has(k)) return;
      const r = await this.getResult(k);
      if (!r) throw new StoreError(`no result ${k} in the store at ${this.location}`);
      seen.set(k, r);
      for (const id of Object.values(r.activity.inputs)) if (id.startsWith('result:')) await visit(id.slice(7));
      order.push(r);
    };
    await visit(key);
    return order;
  }
}

async function upsertEntity(tx: Sql, e: Entity): Promise<void> {
  await tx.query(
    `INSERT INTO entities (id, kind, label, checksum, path, meta) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ON CONFLICT (id) DO UPDATE SET path = COALESCE(EXCLUDED.path, entities.path), meta = EXCLUDED.meta`,
    [e.id, e.kind, e.label ?? null, e.checksum ?? null, e.path ?? null, JSON.stringify(e.meta ?? {})],
  );
}

interface Row {
  key: string;
  step: string;
  file: string;
  checksum: string;
  summary: Record<string, unknown>;
  status: 'valid' | 'invalid';
  version: Activity['version'];
  params: Record<string, unknown>;
  params_hash: string;
  param_set_name: string | null;
  inputs: Record<string, string>;
  outputs: string[];
  started_at: Date | string;
  ended_at: Date | string;
  agent: string;
  runtime: Activity['runtime'];
}

const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

function toResult(r: Row): ResultRecord {
  return {
    key: r.key,
    step: r.step,
    file: r.file,
    checksum: r.checksum,
    summary: r.summary,
    status: r.status,
    activity: {
      key: r.key,
      step: r.step,
      version: r.version,
      params: r.params,
      paramsHash: r.params_hash,
      paramSetName: r.param_set_name ?? undefined,
      inputs: r.inputs,
      outputs: r.outputs,
      startedAt: iso(r.started_at),
      endedAt: iso(r.ended_at),
      agent: r.agent,
      runtime: r.runtime,
    },
  };
}
