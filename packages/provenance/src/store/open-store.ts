import { Store } from './store.js';
import { MemoryBlobStore, type BlobStore } from '../blobs/blob-store.js';
import { OpfsBlobStore } from '../blobs/opfs-blob-store.js';

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
  /** Folder for result files; default `<folder>/results` (embedded) or `<cwd>/.spyglass/results`. */
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
  if (/^postgres(ql)?:\/\//.test(spec)) {
    const { postgresSql } = await import('./postgres-sql.js');
    const resultsDir = options.resultsDir ?? env.SPYGLASS_RESULTS ?? joinPath(cwd, '.spyglass', 'results');
    return Store.open(await postgresSql(spec), await blobsAt(resultsDir), spec.replace(/:[^:@/]*@/, ':***@'), { durable });
  }
  const { pgliteSql } = await import('./pglite-sql.js');
  if (spec.startsWith('idb://') || spec.startsWith('memory://')) {
    const blobs = spec.startsWith('idb://') && !options.resultsDir ? new OpfsBlobStore(spec.slice('idb://'.length) || 'spyglass') : spec.startsWith('memory://') && !options.resultsDir ? new MemoryBlobStore() : await blobsAt(options.resultsDir ?? joinPath(cwd, '.spyglass', 'results'));
    return Store.open(await pgliteSql(spec), blobs, spec, { durable });
  }
  const { mkdir } = await import('node:fs/promises');
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
  return Store.open(sql, await blobsAt(resultsDir), dir, { release, durable });
}

const isAbsolute = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
const joinPath = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');
