import { hashBytes } from '../hash.js';
import type { Store } from './store.js';
import { pidRuns } from './dir-lock.js';
import { partialIsAbandoned } from '../blobs/fs-blob-store.js';
import { nodeFsPromises, nodeOs } from '../platform.node.js';

/** Leftovers younger than this may belong to a writer still at work, so they are kept. */
export const LEFTOVER_AGE_MS = 60_000;

/** What a crash can leave behind, found by {@link findLeftovers}. */
export interface Leftovers {
  /** `.partial` files (an interrupted atomic write) whose writer on this host is gone, or older than a minute. */
  partialFiles: string[];
  /** Scratch stores of killed `verify` runs and scratch analysis files of killed runs: absolute paths. */
  scratch: string[];
}

/**
 * Finds (and, with `remove`, deletes) what killed runs leave: `.partial` files in `dirs` (the
 * results folder, `--out` folders) whose writer on this host is gone or older than `minAgeMs`,
 * `spyglass-verify-*` scratch stores in the temporary folder whose lock is free (no live verify
 * uses them) and scratch analysis files `spyglass-analysis-<pid>-*` (and their writer's
 * `.partial`) of processes that are gone. Never touches a final name.
 *
 * @example
 * const { partialFiles } = await findLeftovers({ dirs: [store.resultsDir], remove: true });
 */
export async function findLeftovers(options: {
  dirs: string[];
  remove?: boolean;
  minAgeMs?: number;
  tmp?: string;
}): Promise<Leftovers> {
  const { readdir, stat, rm } = await nodeFsPromises();
  const { tmpdir } = await nodeOs();
  const { lockIsFree } = await import('./dir-lock.js');
  const minAge = options.minAgeMs ?? LEFTOVER_AGE_MS;
  const old = async (path: string) => {
    const s = await stat(path).catch(() => undefined);
    return s !== undefined && Date.now() - s.mtimeMs > minAge;
  };
  const found: Leftovers = { partialFiles: [], scratch: [] };
  for (const dir of options.dirs) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!name.endsWith('.partial')) continue;
      const s = await stat(`${dir}/${name}`).catch(() => undefined);
      if (s && (await partialIsAbandoned(name, s.mtimeMs, minAge))) found.partialFiles.push(`${dir}/${name}`);
    }
  }
  const tmp = options.tmp ?? tmpdir();
  for (const name of await readdir(tmp).catch(() => [] as string[])) {
    const path = `${tmp}/${name}`;
    if (name.startsWith('spyglass-verify-') && (await old(path)) && (await lockIsFree(`${path}/.spyglass`)))
      found.scratch.push(path);
    // the scratch file, or the NWB writer's hidden `.partial` of it when the kill came while writing it
    const analysis = /^\.?spyglass-analysis-(\d+)-[^/]*\.nwb(\.[a-z0-9-]+\.partial)?$/.exec(name);
    // its writer is gone (scratch analysis files live in this host's temporary folder)
    if (analysis && !pidRuns(Number(analysis[1])) && (await stat(path).catch(() => undefined)))
      found.scratch.push(path);
  }
  if (options.remove)
    for (const path of [...found.partialFiles, ...found.scratch]) await rm(path, { recursive: true, force: true });
  return found;
}

/** A store's health, from {@link checkStore}. */
export interface StoreCheck {
  ok: boolean;
  /** Result files no row names (a run killed between its file's rename and its commit). */
  orphanFiles: string[];
  /** Valid rows whose result file (or analysis file) is missing. */
  missingFiles: { key: string; file: string }[];
  /** Valid rows whose result file's BLAKE3 is not the recorded checksum. */
  checksumMismatches: { key: string; file: string }[];
  partialFiles: string[];
  scratch: string[];
  /** With `repair`: files removed and rows marked invalid (recomputed on next use). */
  repaired?: { removed: string[]; invalidated: string[] };
}

/**
 * Checks a store against its result files: orphan files (no row), rows whose file is missing or
 * whose checksum differs, and crash leftovers (partial files, scratch stores). With `repair`,
 * orphans and leftovers are removed and broken rows marked invalid (never deleted), so the next
 * run recomputes them; a valid result is never removed. Files younger than a minute are left
 * alone (a writer sharing the store may be about to commit them).
 *
 * @example
 * const report = await checkStore(store, { repair: true });
 */
export async function checkStore(
  store: Store,
  options: { repair?: boolean; dirs?: string[]; minAgeMs?: number } = {},
): Promise<StoreCheck> {
  const minAge = options.minAgeMs ?? LEFTOVER_AGE_MS;
  const { rows, named } = await resultRows(store);
  const missingFiles: StoreCheck['missingFiles'] = [];
  const checksumMismatches: StoreCheck['checksumMismatches'] = [];
  for (const r of rows.filter((x) => x.status === 'valid')) {
    if (!(await store.blobs.exists(r.file))) missingFiles.push({ key: r.key, file: r.file });
    else if ((await hashBytes(await store.blobs.read(r.file))) !== r.checksum)
      checksumMismatches.push({ key: r.key, file: r.file });
    const analysis = r.summary?.analysisFile;
    if (typeof analysis === 'string' && !(await store.blobs.exists(analysis)))
      missingFiles.push({ key: r.key, file: analysis });
  }
  const orphanFiles: string[] = [];
  for (const name of await store.blobs.list()) {
    if (named.has(name) || name.endsWith('.partial')) continue;
    if (await olderThan(store, name, minAge)) orphanFiles.push(name);
  }
  const local = store.blobs.localPath ? [store.blobs.location] : [];
  const leftovers = await findLeftovers({ dirs: [...local, ...(options.dirs ?? [])], minAgeMs: minAge });
  const report: StoreCheck = {
    ok:
      !orphanFiles.length &&
      !missingFiles.length &&
      !checksumMismatches.length &&
      !leftovers.partialFiles.length &&
      !leftovers.scratch.length,
    orphanFiles,
    missingFiles,
    checksumMismatches,
    ...leftovers,
  };
  if (options.repair) {
    const removed: string[] = [];
    for (const name of orphanFiles) {
      if (
        await store.blobs.remove(name).then(
          () => true,
          () => false,
        )
      )
        removed.push(name);
    }
    await findLeftovers({ dirs: [...local, ...(options.dirs ?? [])], minAgeMs: minAge, remove: true });
    removed.push(...leftovers.partialFiles, ...leftovers.scratch);
    const broken = [...new Set([...missingFiles, ...checksumMismatches].map((b) => b.key))];
    for (const key of broken) await store.sql.query(`UPDATE results SET status = 'invalid' WHERE key = $1`, [key]);
    report.repaired = { removed, invalidated: broken };
  }
  return report;
}

/** The store's result rows, and the set of file names they name (result and analysis files). */
async function resultRows(store: Store) {
  const rows = await store.sql.query<{
    key: string;
    file: string;
    checksum: string;
    status: string;
    summary: Record<string, unknown>;
  }>(`SELECT key, file, checksum, status, summary FROM results ORDER BY key`);
  const named = new Set<string>();
  for (const r of rows) {
    named.add(r.file);
    if (typeof r.summary?.analysisFile === 'string') named.add(r.summary.analysisFile);
  }
  return { rows, named };
}

/**
 * Removes result files no row names (a run killed between a file's rename and its row's commit),
 * whatever their age. Only for a results folder the caller alone writes to (an embedded store's
 * own folder, under its lock): no other writer can be about to commit them.
 *
 * @example
 * const removed = await removeOrphanFiles(store); // ['lfp-1f2e…-lx3k9a.sgr']
 */
export async function removeOrphanFiles(store: Store): Promise<string[]> {
  const { named } = await resultRows(store);
  const removed: string[] = [];
  for (const name of await store.blobs.list()) {
    if (named.has(name) || name.endsWith('.partial')) continue;
    if (
      await store.blobs.remove(name).then(
        () => true,
        () => false,
      )
    )
      removed.push(name);
  }
  return removed;
}

/** Blob age from its local file (Node); blobs without a local path count as old. */
async function olderThan(store: Store, name: string, ms: number): Promise<boolean> {
  const path = store.blobs.localPath?.(name);
  if (!path) return true;
  const { stat } = await nodeFsPromises();
  const s = await stat(path).catch(() => undefined);
  return s !== undefined && Date.now() - s.mtimeMs > ms;
}
