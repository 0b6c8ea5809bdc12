// Views of a store for tests: one that writes whole buffers only, one that records every blob read.
import type { BlobStore, ResultRepository, Store } from '@spyglass-wasm/provenance';

/** The store with a blob store that takes whole buffers only: the one-buffer path. */
export function wholeBuffers(store: Store): ResultRepository {
  const b = store.blobs;
  const blobs: BlobStore = {
    location: b.location,
    write: (n, bytes, o) => b.write(n, bytes, o),
    read: (n) => b.read(n),
    exists: (n) => b.exists(n),
    remove: (n) => b.remove(n),
    list: () => b.list(),
  };
  return {
    blobs,
    location: store.location,
    durable: store.durable,
    getResult: (k) => store.getResult(k),
    findResults: (p) => store.findResults(p),
    getEntity: (id) => store.getEntity(id),
    fileChecksum: (path, meta) => store.fileChecksum(path, meta),
    commitResult: (e, a, r) => store.commitResult(e, a, r),
    invalidate: (k) => store.invalidate(k),
    lineage: (k) => store.lineage(k),
  } as ResultRepository;
}

/** The store with every blob read recorded (a whole read counts as Infinity bytes). */
export function recordingReads(store: Store): { repo: Store; reads: { name: string; bytes: number }[] } {
  const reads: { name: string; bytes: number }[] = [];
  const blobs = new Proxy(store.blobs, {
    get(target, k) {
      if (k === 'read') return (name: string) => (reads.push({ name, bytes: Infinity }), target.read(name));
      if (k === 'readRange')
        return (name: string, offset: number, length: number) => (
          reads.push({ name, bytes: length }),
          target.readRange!(name, offset, length)
        );
      const v = Reflect.get(target, k);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const repo = new Proxy(store, {
    get: (target, k) =>
      k === 'blobs' ? blobs : ((v) => (typeof v === 'function' ? v.bind(target) : v))(Reflect.get(target, k)),
  });
  return { repo, reads };
}
