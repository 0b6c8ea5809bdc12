import type { EmscriptenFS } from '../h5/h5wasm.js';

interface WorkerFsApi extends EmscriptenFS {
  mkdir(path: string): void;
  mount(type: unknown, opts: { files?: File[]; blobs?: { name: string; data: Blob }[] }, mountpoint: string): void;
  unmount(mountpoint: string): void;
  rmdir(path: string): void;
  filesystems: { WORKERFS?: unknown };
}

let counter = 0;

/**
 * In a browser worker, mounts a Blob/File with Emscripten's WORKERFS, which reads slices of it on
 * demand (FileReaderSync) instead of copying it into memory. Returns the path to open and how to
 * unmount, or undefined where WORKERFS cannot work (not in a worker).
 */
export function mountBlob(FS: EmscriptenFS, blob: Blob): { path: string; release(): void } | undefined {
  const fs = FS as WorkerFsApi;
  if (typeof (globalThis as { FileReaderSync?: unknown }).FileReaderSync === 'undefined' || !fs.filesystems?.WORKERFS)
    return undefined;
  const dir = `/blob-${Date.now()}-${counter++}`;
  const name = 'file.nwb';
  fs.mkdir(dir);
  fs.mount(fs.filesystems.WORKERFS, { blobs: [{ name, data: blob }] }, dir);
  return {
    path: `${dir}/${name}`,
    release() {
      fs.unmount(dir);
      fs.rmdir(dir);
    },
  };
}
