import { StoreError } from '@spyglass-wasm/core';
import { nodeFsPromises, nodeOs } from '../platform.node.js';

/** How a lock is taken, waited for and judged stale. */
export interface LockOptions {
  /** How long a second opener waits for the holder before a StoreError (default 30 s, `SPYGLASS_LOCK_WAIT_MS`). */
  waitMs?: number;
  /** A lock whose heartbeat is older than this, held by no provably live process, is stale (default 30 s). */
  staleMs?: number;
}

/** What the lock folder's `owner.json` says about its holder. */
interface Owner {
  pid: number;
  host: string;
  token: string;
  /** The holder's start time in clock ticks since boot (Linux /proc), to tell a reused pid apart. */
  start?: string;
  since?: string;
}

const OWNER = 'owner.json';
/** Tokens of the locks this process holds, so a second open in one process waits instead of breaking them. */
const heldHere = new Set<string>();

/**
 * One process at a time per embedded store folder (PGlite is single-process). The lock is the
 * folder `<dir>/lock`, made with mkdir (atomic: exactly one creator wins, never an empty owner),
 * with `owner.json` inside written to a temporary name and renamed (readers see all or none).
 * The holder refreshes the folder's mtime every `staleMs / 4` (a heartbeat).
 *
 * A lock is stale, and taken over, when its holder is provably gone (same host and its pid is
 * not running, or runs with another start time — a reused pid, e.g. pid 1 in a new container —
 * or is this process without holding it), or, when that cannot be told (another host, no /proc),
 * when its heartbeat is older than `staleMs`. A provably live holder is never broken, even if a
 * long synchronous computation delayed its heartbeat. Takeovers go through a second mkdir
 * (`lock.takeover`) so two waiters cannot both remove a lock and one remove the other's new one.
 * A waiter polls (backing off to 250 ms) up to `waitMs`, then a one-line StoreError names the
 * store folder and the holder.
 *
 * @example
 * const release = await lockDir('/data/.spyglass', { waitMs: 60_000 });
 * try { ... } finally { await release(); }
 */
export async function lockDir(dir: string, options: LockOptions | number = {}): Promise<() => Promise<void>> {
  const opts = typeof options === 'number' ? { waitMs: options } : options;
  const waitMs = opts.waitMs ?? (Number(process.env.SPYGLASS_LOCK_WAIT_MS) || 30_000);
  const staleMs = opts.staleMs ?? 30_000;
  const { mkdir } = await nodeFsPromises();
  const path = `${dir}/lock`;
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(path);
      return await hold(path, staleMs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const seen = await inspect(path, staleMs);
    if (seen.stale) {
      await takeOver(path, staleMs);
      continue;
    }
    if (Date.now() > deadline)
      throw new StoreError(
        `the store at ${dir} is in use by ${describe(seen.owner)} (waited ${Math.round(waitMs / 1000)} s; embedded stores serve one process; use --store postgres://… to share)`,
      );
    await sleep(Math.min(250, 20 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random() / 2));
  }
}

/**
 * Whether the store folder `dir` is free of a live holder: no lock, or a stale one (used to sweep
 * scratch stores left by killed runs without touching one in use).
 *
 * @example
 * if (await lockIsFree('/tmp/spyglass-verify-x/.spyglass')) await rm(...);
 */
export async function lockIsFree(dir: string, staleMs = 30_000): Promise<boolean> {
  const { stat } = await nodeFsPromises();
  if (!(await stat(`${dir}/lock`).catch(() => undefined))) return true;
  return (await inspect(`${dir}/lock`, staleMs)).stale;
}

/** Writes the owner file atomically and starts the heartbeat; returns the release function. */
async function hold(path: string, staleMs: number): Promise<() => Promise<void>> {
  const { writeFile, rename, utimes, rm, readFile } = await nodeFsPromises();
  const { hostname } = await nodeOs();
  const token = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const owner: Owner = {
    pid: process.pid,
    host: hostname(),
    token,
    start: await startTime(process.pid),
    since: new Date().toISOString(),
  };
  const tmp = `${path}/${OWNER}.${token}.tmp`;
  await writeFile(tmp, JSON.stringify(owner));
  await rename(tmp, `${path}/${OWNER}`);
  heldHere.add(token);
  const beat = setInterval(
    () => {
      const now = new Date();
      utimes(path, now, now).catch(() => {});
    },
    Math.max(50, staleMs / 4),
  );
  beat.unref?.();
  return async () => {
    clearInterval(beat);
    heldHere.delete(token);
    // remove only our own lock: if it was taken over meanwhile, the folder is someone else's
    const current = await readOwner(path, readFile);
    if (current?.token === token) await rm(path, { recursive: true, force: true });
  };
}

/** Removes a stale lock, holding `lock.takeover` so only one waiter does, and re-checking under it. */
async function takeOver(path: string, staleMs: number): Promise<void> {
  const { mkdir, rm, stat } = await nodeFsPromises();
  const guard = `${path}.takeover`;
  try {
    await mkdir(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // a taker that died mid-takeover leaves the guard behind: it is stale after staleMs
    const s = await stat(guard).catch(() => undefined);
    if (s && Date.now() - s.mtimeMs > staleMs) await rm(guard, { recursive: true, force: true });
    await sleep(20 + Math.random() * 30);
    return;
  }
  try {
    if ((await inspect(path, staleMs)).stale) await rm(path, { recursive: true, force: true });
  } finally {
    await rm(guard, { recursive: true, force: true });
  }
}

/** Whether the lock at `path` is stale, and who holds it. */
async function inspect(path: string, staleMs: number): Promise<{ stale: boolean; owner?: Owner }> {
  const { readFile, stat } = await nodeFsPromises();
  const s = await stat(path).catch(() => undefined);
  if (!s) return { stale: false }; // just released: try again
  const owner = s.isDirectory() ? await readOwner(path, readFile) : undefined;
  const heartbeatOld = Date.now() - s.mtimeMs > staleMs;
  if (!owner) return { stale: heartbeatOld }; // being created (fresh mtime), or an old-style lock file
  const life = await holderAlive(owner);
  return { stale: life === 'dead' || (life === 'unknown' && heartbeatOld), owner };
}

/** 'dead' or 'alive' when this host can tell; 'unknown' for another host or without /proc. */
async function holderAlive(owner: Owner): Promise<'alive' | 'dead' | 'unknown'> {
  const { hostname } = await nodeOs();
  if (owner.host !== hostname()) return 'unknown';
  if (owner.pid === process.pid) {
    if (heldHere.has(owner.token)) return 'alive';
    // our pid, not our lock: left by an earlier process that had this pid (a container's pid 1)
    return owner.start && owner.start === (await startTime(process.pid)) ? 'unknown' : 'dead';
  }
  if (!pidRuns(owner.pid)) return 'dead';
  if (!owner.start) return 'unknown';
  const now = await startTime(owner.pid);
  if (now === undefined) return 'unknown';
  return now === owner.start ? 'alive' : 'dead';
}

async function readOwner(
  path: string,
  readFile: typeof import('node:fs/promises').readFile,
): Promise<Owner | undefined> {
  try {
    const o = JSON.parse(await readFile(`${path}/${OWNER}`, 'utf8')) as Owner;
    return typeof o.pid === 'number' && typeof o.token === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** A process's start time (field 22 of /proc/<pid>/stat), or undefined off Linux. */
async function startTime(pid: number): Promise<string | undefined> {
  const { readFile } = await nodeFsPromises();
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid runs on this machine (EPERM: it runs, as another user). */
export function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(owner: Owner | undefined): string {
  return owner
    ? `process ${owner.pid} on ${owner.host}${owner.since ? ` since ${owner.since}` : ''}`
    : 'another process (lock being created)';
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
