import { StoreError } from '@spyglass-wasm/core';
import { checkName, type BlobStore, type BlobWriter, type ScratchBlob } from './blob-store.js';
import { nodeFsPromises, nodeOs, nodePath } from '../platform.node.js';

/**
 * Blobs as files in a folder (Node). Writes go to a temporary sibling, are flushed when `sync`
 * (default true) and renamed, so readers — and a killed writer — see a whole file or none; this
 * also holds on NFS, where rename within a folder is atomic.
 */
export class FsBlobStore implements BlobStore {
  constructor(readonly location: string) {}

  localPath(name: string): string {
    return `${this.location}/${checkName(name)}`;
  }
  async write(name: string, bytes: Uint8Array, options: { sync?: boolean } = {}): Promise<void> {
    // the store sweeps its folder on open
    await writeAtomically(this.localPath(name), bytes, { ...options, sweep: false });
  }
  async read(name: string): Promise<Uint8Array> {
    const { readFile } = await nodeFsPromises();
    const path = this.localPath(name);
    const bytes = await readFile(path).catch(() => {
      throw new StoreError(`result file ${path} is missing`);
    });
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  async exists(name: string): Promise<boolean> {
    const { access } = await nodeFsPromises();
    return access(this.localPath(name)).then(
      () => true,
      () => false,
    );
  }
  async remove(name: string): Promise<void> {
    const { rm } = await nodeFsPromises();
    await rm(this.localPath(name), { force: true });
  }
  async list(): Promise<string[]> {
    const { readdir } = await nodeFsPromises();
    return readdir(this.location).catch(() => []);
  }
  async readRange(name: string, offset: number, length: number): Promise<Uint8Array> {
    const { open } = await nodeFsPromises();
    const path = this.localPath(name);
    const fh = await open(path, 'r').catch(() => {
      throw new StoreError(`result file ${path} is missing`);
    });
    try {
      return await readAt(fh, offset, length);
    } finally {
      await fh.close();
    }
  }
  async writer(name: string, options: { sync?: boolean } = {}): Promise<BlobWriter> {
    const { mkdir, open, rename, rm } = await nodeFsPromises();
    const path = this.localPath(name);
    await mkdir(this.location, { recursive: true });
    const tmp = `${path}.${await partialTag()}-${Math.random().toString(36).slice(2)}.partial`;
    const fh = await open(tmp, 'w');
    let closed = false;
    const finish = async (keep: boolean) => {
      if (closed) return;
      closed = true;
      try {
        if (keep && options.sync !== false) await fh.sync();
      } finally {
        await fh.close();
      }
      if (keep) await rename(tmp, path);
      else await rm(tmp, { force: true });
    };
    return {
      async write(bytes) {
        await fh.write(bytes);
      },
      close: () =>
        finish(true).catch(async (err) => {
          await rm(tmp, { force: true });
          throw err;
        }),
      abort: () => finish(false),
    };
  }
  async scratch(name: string): Promise<ScratchBlob> {
    const { mkdir, open, rm } = await nodeFsPromises();
    await mkdir(this.location, { recursive: true });
    // a `.partial` with this writer's host and pid: swept like an interrupted write when it dies
    const tmp = `${this.localPath(name)}.${await partialTag()}-${Math.random().toString(36).slice(2)}.partial`;
    const fh = await open(tmp, 'w+');
    let size = 0;
    return {
      get size() {
        return size;
      },
      async append(bytes) {
        for (let at = 0; at < bytes.length;) {
          const { bytesWritten } = await fh.write(bytes, at, bytes.length - at, size);
          at += bytesWritten;
          size += bytesWritten;
        }
      },
      read: (offset, length) => readAt(fh, offset, Math.min(length, size - offset)),
      async discard() {
        await fh.close().catch(() => {});
        await rm(tmp, { force: true });
      },
    };
  }
}

type FileHandle = Awaited<ReturnType<Awaited<ReturnType<typeof nodeFsPromises>>['open']>>;

/** Up to `length` bytes at `offset` (fewer at the end of the file). */
async function readAt(fh: FileHandle, offset: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(Math.max(0, length));
  let got = 0;
  while (got < out.length) {
    const { bytesRead } = await fh.read(out, got, out.length - got, offset + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === out.length ? out : out.subarray(0, got);
}

/**
 * Writes to a temporary sibling, flushes it to disk when `sync` (default true), then renames:
 * readers, and a killed writer, see the whole file or none.
 *
 * @example
 * await writeAtomically('out/result.nwb', bytes);
 */
export async function writeAtomically(
  path: string,
  bytes: Uint8Array,
  options: { sync?: boolean; sweep?: boolean } = {},
): Promise<void> {
  const { mkdir, open, rename, rm } = await nodeFsPromises();
  const { dirname } = await nodePath();
  await mkdir(dirname(path), { recursive: true });
  if (options.sweep !== false) await sweepStalePartials(path);
  // the writer's host and pid in the name: a later run on this host can tell a dead writer's file at once
  const tmp = `${path}.${await partialTag()}-${Math.random().toString(36).slice(2)}.partial`;
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      if (options.sync !== false) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Removes this target's abandoned `.partial` siblings: what a killed writer of it left. */
async function sweepStalePartials(path: string): Promise<void> {
  const { readdir, rm, stat } = await nodeFsPromises();
  const { basename, dirname } = await nodePath();
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith('.partial')) continue;
    const s = await stat(`${dir}/${name}`).catch(() => undefined);
    if (s && (await partialIsAbandoned(name, s.mtimeMs, 60_000))) await rm(`${dir}/${name}`, { force: true });
  }
}

/** `host~pid` of this process, as temporary file names carry it (`~` keeps it apart from the random tail). */
async function partialTag(): Promise<string> {
  return `${await hostTag()}~${process.pid}`;
}

async function hostTag(): Promise<string> {
  const { hostname } = await nodeOs();
  return hostname().replace(/[^A-Za-z0-9.-]/g, '_');
}

/**
 * A `.partial` file no writer will finish: its writer (named in it) was on this host and is gone,
 * or it is older than `minAgeMs` (a writer on another host sharing the folder, or an older name).
 */
export async function partialIsAbandoned(name: string, mtimeMs: number, minAgeMs: number): Promise<boolean> {
  if (Date.now() - mtimeMs > minAgeMs) return true;
  // this host's tag, spelled out: host names and the target's name (`x.sgr`) both hold dots
  const host = (await hostTag()).replace(/\./g, '\\.');
  const writer = new RegExp(`\\.${host}~(\\d+)-[a-z0-9]+\\.partial$`).exec(name);
  if (!writer) return false;
  const { pidRuns } = await import('../store/dir-lock.js');
  return !pidRuns(Number(writer[1]));
}
