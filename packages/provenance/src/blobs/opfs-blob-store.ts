import { StoreError } from '@spyglass-wasm/core';
import { checkName, type BlobStore, type BlobWriter, type ScratchBlob } from './blob-store.js';

/**
 * Blobs in the browser's Origin Private File System, in one folder per store. A write goes to a
 * temporary file that is then moved to its name (FileSystemFileHandle.move), so a closed tab
 * leaves no partial result under a final name.
 */
export class OpfsBlobStore implements BlobStore {
  readonly location: string;
  constructor(private readonly folder: string) {
    this.location = `opfs://${folder}`;
  }
  private async dir(): Promise<FileSystemDirectoryHandle> {
    const root = await navigator.storage.getDirectory();
    return root.getDirectoryHandle(this.folder, { create: true });
  }
  async write(name: string, bytes: Uint8Array): Promise<void> {
    const dir = await this.dir();
    const tmpName = `${checkName(name)}.${Math.random().toString(36).slice(2)}.partial`;
    const tmp = await dir.getFileHandle(tmpName, { create: true });
    const w = await tmp.createWritable();
    await w.write(bytes as unknown as ArrayBuffer);
    await w.close();
    const movable = tmp as FileSystemFileHandle & {
      move?: (dir: FileSystemDirectoryHandle, name: string) => Promise<void>;
    };
    if (movable.move) await movable.move(dir, name);
    else {
      // browsers without move(): copy, then drop the temporary file
      const final = await dir.getFileHandle(name, { create: true });
      const fw = await final.createWritable();
      await fw.write(bytes as unknown as ArrayBuffer);
      await fw.close();
      await dir.removeEntry(tmpName);
    }
  }
  async read(name: string): Promise<Uint8Array> {
    const dir = await this.dir();
    const file = await dir.getFileHandle(checkName(name)).then(
      (h) => h.getFile(),
      () => {
        throw new StoreError(`result file ${name} is missing from ${this.location}`);
      },
    );
    return new Uint8Array(await file.arrayBuffer());
  }
  async exists(name: string): Promise<boolean> {
    const dir = await this.dir();
    return dir.getFileHandle(checkName(name)).then(
      () => true,
      () => false,
    );
  }
  async remove(name: string): Promise<void> {
    const dir = await this.dir();
    await dir.removeEntry(checkName(name)).catch(() => {});
  }
  async readRange(name: string, offset: number, length: number): Promise<Uint8Array> {
    const dir = await this.dir();
    const file = await dir.getFileHandle(checkName(name)).then(
      (h) => h.getFile(),
      () => {
        throw new StoreError(`result file ${name} is missing from ${this.location}`);
      },
    );
    return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
  }
  async writer(name: string): Promise<BlobWriter> {
    const dir = await this.dir();
    const tmpName = `${checkName(name)}.${Math.random().toString(36).slice(2)}.partial`;
    const tmp = await dir.getFileHandle(tmpName, { create: true });
    const w = await tmp.createWritable();
    return {
      write: (bytes) => w.write(bytes as unknown as ArrayBuffer),
      close: async () => {
        await w.close();
        const movable = tmp as FileSystemFileHandle & {
          move?: (dir: FileSystemDirectoryHandle, name: string) => Promise<void>;
        };
        if (movable.move) await movable.move(dir, name);
        else {
          // browsers without move(): copy in slices, then drop the temporary file
          const file = await tmp.getFile();
          const fw = await (await dir.getFileHandle(name, { create: true })).createWritable();
          for (let at = 0; at < file.size; at += 1 << 22)
            await fw.write(await file.slice(at, at + (1 << 22)).arrayBuffer());
          await fw.close();
          await dir.removeEntry(tmpName);
        }
      },
      abort: async () => {
        await w.abort().catch(() => {});
        await dir.removeEntry(tmpName).catch(() => {});
      },
    };
  }
  async scratch(name: string): Promise<ScratchBlob> {
    const dir = await this.dir();
    const tmpName = `${checkName(name)}.${Math.random().toString(36).slice(2)}.partial`;
    const tmp = await dir.getFileHandle(tmpName, { create: true });
    let w: FileSystemWritableFileStream | undefined = await tmp.createWritable();
    let size = 0;
    return {
      get size() {
        return size;
      },
      async append(bytes) {
        // appended after a read: reopen, keeping what is there
        w ??= await tmp.createWritable({ keepExistingData: true });
        await w.seek(size);
        await w.write(bytes as unknown as ArrayBuffer);
        size += bytes.length;
      },
      async read(offset, length) {
        if (w) await w.close();
        w = undefined;
        const file = await tmp.getFile();
        return new Uint8Array(await file.slice(offset, Math.min(size, offset + length)).arrayBuffer());
      },
      async discard() {
        await w?.abort().catch(() => {});
        await dir.removeEntry(tmpName).catch(() => {});
      },
    };
  }
  async list(): Promise<string[]> {
    const dir = (await this.dir()) as FileSystemDirectoryHandle & { keys(): AsyncIterable<string> };
    const names: string[] = [];
    for await (const n of dir.keys()) names.push(n);
    return names;
  }
}
