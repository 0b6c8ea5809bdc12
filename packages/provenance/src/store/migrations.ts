import type { Sql } from './sql.js';

/**
 * The one schema, as ordered migrations. Never edit a shipped migration: append a new one.
 * Ids are content hashes (text); JSON columns are jsonb; times come from the database clock.
 */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'provenance records',
    sql: `
      CREATE TABLE entities (
        id text PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('file', 'series', 'paramset', 'result')),
        label text,
        checksum text,
        path text,
        meta jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE parameter_sets (
        step text NOT NULL,
        name text NOT NULL,
        params_hash text NOT NULL,
        params jsonb NOT NULL,
        PRIMARY KEY (step, name)
      );
      CREATE TABLE activities (
        key text PRIMARY KEY,
        step text NOT NULL,
        version jsonb NOT NULL,
        params jsonb NOT NULL,
        params_hash text NOT NULL,
        param_set_name text,
        inputs jsonb NOT NULL,
        outputs jsonb NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz NOT NULL,
        agent text NOT NULL,
        runtime jsonb NOT NULL
      );
      CREATE TABLE results (
        key text PRIMARY KEY REFERENCES activities (key),
        step text NOT NULL,
        file text NOT NULL,
        checksum text NOT NULL,
        summary jsonb NOT NULL,
        status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'invalid')),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- one row per (result, input): lineage walks and invalidation are recursive queries on it
      CREATE TABLE lineage (
        key text NOT NULL REFERENCES activities (key),
        role text NOT NULL,
        input_id text NOT NULL,
        PRIMARY KEY (key, role)
      );
      CREATE INDEX lineage_input ON lineage (input_id);
    `,
  },
  {
    version: 2,
    name: 'jobs with leases',
    sql: `
      CREATE TABLE jobs (
        id bigserial PRIMARY KEY,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL DEFAULT 3,
        lease_owner text,
        lease_token text,
        lease_expires timestamptz,
        completed_by text,
        result jsonb,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX jobs_ready ON jobs (status, lease_expires);
      -- append-only log of what happened to each job (claims, completions, failures, lost leases)
      CREATE TABLE job_events (
        id bigserial PRIMARY KEY,
        job_id bigint NOT NULL REFERENCES jobs (id),
        worker text NOT NULL,
        event text NOT NULL,
        detail text,
        at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 3,
    name: 'store settings',
    sql: `
      -- settings every user of a shared store must agree on (the results folder)
      CREATE TABLE store_settings (name text PRIMARY KEY, value text NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'jobs on a job engine',
    sql: `
      -- a shared store's jobs are scheduled by pg-boss: its job's id, and the job's key (payload hash)
      ALTER TABLE jobs ADD COLUMN engine_id uuid;
      ALTER TABLE jobs ADD COLUMN job_key text;
    `,
  },
];

/**
 * Brings a database to the newest schema. Concurrent callers (many workers starting at once)
 * serialise on an advisory lock, and each migration commits with its version row.
 */
export async function migrate(sql: Sql): Promise<number> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7291046)');
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
  });
  return MIGRATIONS[MIGRATIONS.length - 1].version;
}
