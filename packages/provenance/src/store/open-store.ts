import { ParameterError, StoreError } from '@spyglass-wasm/core';
import { Store } from './store.js';
import { migrate } from './migrations.js';
import type { Sql } from './sql.js';
import { MemoryBlobStore, type BlobStore } from '../blobs/blob-store.js';
import { OpfsBlobStore } from '../blobs/opfs-blob-store.js';
import { nodeFsPromises } from '../platform.node.js';

/** Result files in a local (or NFS-mounted) folder. */
async function blobsAt(dir: string): Promise<BlobStore> {
  const { FsBlobStore } = await import('../blobs/fs-blob-store.js');
  return new FsBlobStore(dir);
}

export interface OpenStoreOptions {
  /**
   * `postgres://…` for a shared PostgreSQL store; a folder, `idb://name` or `memory://` for the
   * embedded PGlite store. Default: `$SPYGLASS_STORE`, else `<cwd>/.spyglass`.
   */
  store?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /**
   * Folder for result files; default `<folder>/results` (embedded). A PostgreSQL store records its
   * folder (also nameable as `?results=/path` in the URL, or `$SPYGLASS_RESULTS`) when first given,
   * and every later opener uses that one; with none recorded, `<cwd>/.spyglass/results`.
   */
  resultsDir?: string;
  /**
   * Flush each result file to disk (fsync) before its rename and its row's commit, so a power cut
   * cannot leave a row pointing at a lost file (default true; `SPYGLASS_DURABLE=0` turns it off).
   * Without it a killed process still leaves no partial file (temporary name, then rename); an OS
   * crash can lose the last results. It costs about 20 ms per megabyte-sized result here.
   */
  durable?: boolean;
}

/**
 * Opens (creating and migrating as needed) the store the options name.
 *
 * @example
 * const store = await openStore({ store: 'postgres://lab-db/spyglass' });
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const cwd = options.cwd ?? (typeof process !== 'undefined' ? process.cwd() : '.');
  const env = options.env ?? (typeof process !== 'undefined' ? process.env : {});
  const spec = options.store ?? env.SPYGLASS_STORE ?? joinPath(cwd, '.spyglass');
  const durable = options.durable ?? env.SPYGLASS_DURABLE !== '0';
  if (/^postgres(ql)?:\/\//.test(spec))
    return openShared(spec, options.resultsDir ?? env.SPYGLASS_RESULTS, cwd, durable);
  const { pgliteSql } = await import('./pglite-sql.js');
  if (spec.startsWith('idb://') || spec.startsWith('memory://')) {
    const blobs =
      spec.startsWith('idb://') && !options.resultsDir
        ? new OpfsBlobStore(spec.slice('idb://'.length) || 'spyglass')
        : spec.startsWith('memory://') && !options.resultsDir
          ? new MemoryBlobStore()
          : await blobsAt(options.resultsDir ?? joinPath(cwd, '.spyglass', 'results'));
    return Store.open(await pgliteSql(spec), blobs, spec, { durable });
  }
  const { mkdir } = await nodeFsPromises();
  const dir = isAbsolute(spec) ? spec : joinPath(cwd, spec);
  await mkdir(joinPath(dir, 'db'), { recursive: true });
  const { lockDir } = await import('./dir-lock.js');
  const release = await lockDir(dir);
  const resultsDir = options.resultsDir ?? joinPath(dir, 'results');
  // what killed runs left (partial files, scratch stores of verify): holding the lock, no writer is at work here
  const { findLeftovers } = await import('./leftovers.js');
  await findLeftovers({ dirs: [resultsDir], remove: true }).catch(() => undefined);
  let sql;
  try {
    sql = await pgliteSql(joinPath(dir, 'db'));
  } catch (err) {
    await release();
    throw err;
  }
  const store = await Store.open(sql, await blobsAt(resultsDir), dir, { release, durable });
  // result files of runs killed before their commit: in its own results folder, under the lock, nobody else writes
  if (options.resultsDir === undefined) {
    const { removeOrphanFiles } = await import('./leftovers.js');
    await removeOrphanFiles(store).catch(() => undefined);
  }
  return store;
}

/**
 * A PostgreSQL store. Its results folder is part of the store's configuration, so every machine
 * that opens it writes to the same (shared, e.g. NFS) folder: `?results=/abs/path` in the URL,
 * or `resultsDir`; the first opener records it in the database, later openers get it from there,
 * and naming another folder is an error.
 */
async function openShared(spec: string, givenDir: string | undefined, cwd: string, durable: boolean): Promise<Store> {
  const url = new URL(spec);
  const inUrl = url.searchParams.get('results') ?? undefined;
  url.searchParams.delete('results');
  if (inUrl !== undefined && givenDir !== undefined && inUrl !== givenDir) {
    throw new ParameterError('resultsDir', `the folder the store URL names (${inUrl})`, givenDir);
  }
  const named = inUrl ?? givenDir;
  if (named !== undefined && !isAbsolute(named))
    throw new ParameterError('results', 'an absolute folder path every worker can reach', named);
  const { postgresSql } = await import('./postgres-sql.js');
  const location = url.href.replace(/:[^:@/]*@/, ':***@');
  const sql = await postgresSql(url.href);
  let resultsDir: string;
  try {
    await migrate(sql);
    resultsDir = (await agreedResultsDir(sql, named, location)) ?? joinPath(cwd, '.spyglass', 'results');
  } catch (err) {
    await sql.close().catch(() => {});
    throw err;
  }
  const { PgBossJobQueue } = await import('./pg-boss-queue.js');
  return Store.open(sql, await blobsAt(resultsDir), location, { durable, queue: (db) => PgBossJobQueue.start(db) });
}

/** The results folder recorded in the store, recording `named` when there is none yet. */
async function agreedResultsDir(sql: Sql, named: string | undefined, location: string): Promise<string | undefined> {
  if (named !== undefined) {
    await sql.query(
      `INSERT INTO store_settings (name, value) VALUES ('results_dir', $1) ON CONFLICT (name) DO NOTHING`,
      [named],
    );
  }
  const rows = await sql.query<{ value: string }>(`SELECT value FROM store_settings WHERE name = 'results_dir'`);
  const recorded = rows[0]?.value;
  if (named !== undefined && recorded !== named) {
    throw new StoreError(
      `the store at ${location} keeps its results in ${recorded}, not ${named}: give that folder (mounted at the same path) or none`,
    );
  }
  return recorded;
}

const isAbsolute = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
const joinPath = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');
