import { StoreError } from '@spyglass-wasm/core';
import { checkName, type BlobStore } from './blob-store.js';
import { nodeFsPromises, nodePath } from '../platform.node.js';

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
  const tmp = `${path}.${process.pid}-${Math.random().toString(36).slice(2)}.partial`;
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

/** Removes this target's `.partial` siblings older than a minute: what a killed writer of it left. */
async function sweepStalePartials(path: string): Promise<void> {
  const { readdir, rm, stat } = await nodeFsPromises();
  const { basename, dirname } = await nodePath();
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith('.partial')) continue;
    const s = await stat(`${dir}/${name}`).catch(() => undefined);
    if (s && Date.now() - s.mtimeMs > 60_000) await rm(`${dir}/${name}`, { force: true });
  }
}
