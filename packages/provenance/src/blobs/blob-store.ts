import { StoreError } from '@spyglass-wasm/core';

/**
 * Where result files live: a small key → bytes interface, so the runner is the same code in Node
 * (a folder, possibly shared over NFS), in a browser (OPFS) and in tests (memory). Names are flat
 * file names; a writer never exposes a partial file under its final name.
 */
export interface BlobStore {
  /** Human-readable location (a folder path, `opfs://…`, `memory://`). */
  readonly location: string;
  write(name: string, bytes: Uint8Array, options?: { sync?: boolean }): Promise<void>;
  /** The bytes, or a StoreError naming the blob when it is missing. */
  read(name: string): Promise<Uint8Array>;
  exists(name: string): Promise<boolean>;
  remove(name: string): Promise<void>;
  list(): Promise<string[]>;
  /** A path on the local file system, where there is one (Node). */
  localPath?(name: string): string;
}

/** Blobs in memory (tests, and a browser page that keeps nothing). */
export class MemoryBlobStore implements BlobStore {
  readonly location = 'memory://';
  private readonly blobs = new Map<string, Uint8Array>();
  async write(name: string, bytes: Uint8Array): Promise<void> {
    this.blobs.set(checkName(name), bytes.slice());
  }
  async read(name: string): Promise<Uint8Array> {
    const b = this.blobs.get(name);
    if (!b) throw new StoreError(`result file ${name} is missing from ${this.location}`);
    return b;
  }
  async exists(name: string): Promise<boolean> {
    return this.blobs.has(name);
  }
  async remove(name: string): Promise<void> {
    this.blobs.delete(name);
  }
  async list(): Promise<string[]> {
    return [...this.blobs.keys()];
  }
}

/** Blob names are plain file names: no folders, no way out of the store. */
export function checkName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new StoreError(`not a result file name: '${name}'`);
  return name;
}
