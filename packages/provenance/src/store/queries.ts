import type { Store } from './store.js';

/** One row of `spyglass ls`: a result with what made it. */
export interface ResultListing {
  key: string;
  step: string;
  status: 'valid' | 'invalid';
  paramSetName: string | null;
  paramsHash: string;
  inputs: Record<string, string>;
  agent: string;
  createdAt: string;
  summary: Record<string, unknown>;
}

/** Filters of `listResults`: a step, a parameter-set name, results downstream of an entity (a file id). */
export interface ResultFilter {
  step?: string;
  paramSetName?: string;
  /** An entity id (`file:blake3:…`, `result:…`): only results computed from it, directly or downstream. */
  from?: string;
}

/**
 * Lists results as Spyglass users query DataJoint tables: newest first, filtered by step,
 * parameter set and input.
 *
 * @example
 * await listResults(store, { step: 'sort' });
 */
export async function listResults(store: Store, filter: ResultFilter = {}): Promise<ResultListing[]> {
  const rows = await store.sql.query<{
    key: string;
    step: string;
    status: 'valid' | 'invalid';
    param_set_name: string | null;
    params_hash: string;
    inputs: Record<string, string> | string;
    agent: string;
    created_at: Date | string;
    summary: Record<string, unknown> | string;
  }>(
    `WITH RECURSIVE down(key) AS (
       SELECT key FROM lineage WHERE $3::text IS NOT NULL AND input_id = $3
       UNION SELECT l.key FROM lineage l JOIN down d ON l.input_id = 'result:' || d.key)
     SELECT r.key, r.step, r.status, a.param_set_name, a.params_hash, a.inputs, a.agent, r.created_at, r.summary
       FROM results r JOIN activities a ON a.key = r.key
      WHERE ($1::text IS NULL OR r.step = $1) AND ($2::text IS NULL OR a.param_set_name = $2)
        AND ($3::text IS NULL OR r.key IN (SELECT key FROM down))
      ORDER BY r.created_at DESC, r.key`,
    [filter.step ?? null, filter.paramSetName ?? null, filter.from ?? null],
  );
  const json = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) : v);
  return rows.map((r) => ({
    key: r.key,
    step: r.step,
    status: r.status,
    paramSetName: r.param_set_name,
    paramsHash: r.params_hash,
    inputs: json(r.inputs),
    agent: r.agent,
    createdAt: new Date(r.created_at).toISOString(),
    summary: json(r.summary),
  }));
}

/** `key` and every result computed from it, directly or downstream (what a cascading delete removes). */
export async function downstreamOf(store: Store, key: string): Promise<string[]> {
  const rows = await store.sql.query<{ key: string }>(
    `WITH RECURSIVE down(key) AS (
       SELECT key FROM lineage WHERE input_id = 'result:' || $1
       UNION SELECT l.key FROM lineage l JOIN down d ON l.input_id = 'result:' || d.key)
     SELECT key FROM down`,
    [key],
  );
  return [key, ...rows.map((r) => r.key).filter((k) => k !== key)];
}

/**
 * Deletes results and their records (DataJoint's cascading delete: pass `downstreamOf(key)`), rows
 * first in one transaction, then their files, so the store never points at a missing file.
 */
export async function deleteResults(store: Store, keys: readonly string[]): Promise<number> {
  const { files, count } = await store.sql.transaction(async (tx) => {
    const gone = await tx.query<{ file: string; summary: Record<string, unknown> | string }>(
      `DELETE FROM results WHERE key = ANY($1::text[]) RETURNING file, summary`,
      [keys],
    );
    await tx.query(`DELETE FROM lineage WHERE key = ANY($1::text[])`, [keys]);
    await tx.query(`DELETE FROM activities WHERE key = ANY($1::text[])`, [keys]);
    const names = gone.flatMap((g) => {
      const summary = typeof g.summary === 'string' ? JSON.parse(g.summary) : g.summary;
      return [g.file, ...(summary.analysisFile ? [summary.analysisFile as string] : [])];
    });
    return { files: names, count: gone.length };
  });
  for (const f of files) await store.blobs.remove(f);
  return count;
}
