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
