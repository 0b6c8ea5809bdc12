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
  /**
   * A blob written in pieces: the bytes go to a temporary name and `close` renames them to `name`,
   * so nothing is ever under `name` but a whole file. Stores without it take whole buffers only.
   */
  writer?(name: string, options?: { sync?: boolean }): Promise<BlobWriter>;
  /** `length` bytes of a blob from `offset` (fewer at its end), without reading the rest. */
  readRange?(name: string, offset: number, length: number): Promise<Uint8Array>;
  /**
   * A scratch file (e.g. a result's array before the header that precedes it is known), read back
   * with `read`: never under a final name, gone after `discard` (a `.partial` a killed writer leaves
   * is swept like any other).
   */
  scratch?(name: string): Promise<ScratchBlob>;
}

/** A blob being written in pieces (BlobStore.writer). */
export interface BlobWriter {
  /** Appends bytes; the caller may reuse its buffer once the promise settles. */
  write(bytes: Uint8Array): Promise<void>;
  /** Flushes (when `sync`) and renames the file to its name. */
  close(): Promise<void>;
  /** Drops what was written: nothing is left under any name. */
  abort(): Promise<void>;
}

/** An append-then-read temporary file (BlobStore.scratch). */
export interface ScratchBlob {
  readonly size: number;
  append(bytes: Uint8Array): Promise<void>;
  read(offset: number, length: number): Promise<Uint8Array>;
  discard(): Promise<void>;
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
  async readRange(name: string, offset: number, length: number): Promise<Uint8Array> {
    return (await this.read(name)).slice(offset, offset + length);
  }
  async writer(name: string): Promise<BlobWriter> {
    checkName(name);
    const parts = new MemoryParts();
    return {
      write: async (bytes) => parts.append(bytes),
      close: async () => void this.blobs.set(name, parts.read(0, parts.size)),
      abort: async () => parts.clear(),
    };
  }
  async scratch(name: string): Promise<ScratchBlob> {
    checkName(name);
    const parts = new MemoryParts();
    return {
      get size() {
        return parts.size;
      },
      append: async (bytes) => parts.append(bytes),
      read: async (offset, length) => parts.read(offset, length),
      discard: async () => parts.clear(),
    };
  }
}

/** Appended byte pieces (copies), read back across piece boundaries. */
class MemoryParts {
  private pieces: Uint8Array[] = [];
  size = 0;
  append(bytes: Uint8Array): void {
    this.pieces.push(bytes.slice());
    this.size += bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(length, this.size - offset)));
    let at = 0;
    for (const p of this.pieces) {
      if (at >= offset + out.length) break;
      const a = Math.max(offset, at),
        b = Math.min(offset + out.length, at + p.length);
      if (b > a) out.set(p.subarray(a - at, b - at), a - offset);
      at += p.length;
    }
    return out;
  }
  clear(): void {
    this.pieces = [];
    this.size = 0;
  }
}

/** Blob names are plain file names: no folders, no way out of the store. */
export function checkName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new StoreError(`not a result file name: '${name}'`);
  return name;
}
