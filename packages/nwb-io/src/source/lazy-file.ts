import type { EmscriptenFS } from '../h5/h5wasm.js';
import { Lru } from '../read/lru.js';

/** Reads of a lazily fetched file, for checking laziness in tests and benchmarks. */
export interface LazyFileStats {
  /** Blocks fetched from the source. */
  blocks: number;
  /** Reads answered from the block cache. */
  cacheHits: number;
}

interface FsNode {
  usedBytes?: number;
  stream_ops: {
    read(stream: unknown, buffer: Uint8Array, offset: number, length: number, position: number): number;
    llseek(stream: { position: number }, offset: number, whence: number): number;
  };
}

/**
 * Creates `path` in h5wasm's in-memory filesystem as a read-only file of `size` bytes whose reads
 * are served in blocks of `blockSize` from `readRange`, through an LRU block cache: HDF5 then reads
 * a remote file as if it were local, fetching only the blocks it touches.
 */
export function mountLazyFile(
  FS: EmscriptenFS & { createFile(parent: string, name: string, props: object, r: boolean, w: boolean): FsNode },
  path: string,
  size: number,
  readRange: (start: number, end: number) => Uint8Array,
  options: { blockSize?: number; cacheBlocks?: number } = {},
): LazyFileStats {
  const blockSize = options.blockSize ?? 1 << 16;
  const cache = new Lru<number, Uint8Array>(options.cacheBlocks ?? 256);
  const stats: LazyFileStats = { blocks: 0, cacheHits: 0 };
  const block = (i: number): Uint8Array => {
    const before = cache.misses;
    const b = cache.get(i, () => readRange(i * blockSize, Math.min(size, (i + 1) * blockSize)));
    if (cache.misses > before) stats.blocks++;
    else stats.cacheHits++;
    return b;
  };
  const node = FS.createFile('/', path.replace(/^\//, ''), {}, true, false);
  Object.defineProperty(node, 'usedBytes', { get: () => size });
  node.stream_ops = {
    read(_stream, buffer, offset, length, position) {
      const end = Math.min(size, position + length);
      let at = position;
      while (at < end) {
        const i = Math.floor(at / blockSize);
        const b = block(i);
        const from = at - i * blockSize;
        const n = Math.min(b.length - from, end - at);
        if (n <= 0) break;
        buffer.set(b.subarray(from, from + n), offset + (at - position));
        at += n;
      }
      return at - position;
    },
    llseek(stream, offset, whence) {
      const position = whence === 1 ? stream.position + offset : whence === 2 ? size + offset : offset;
      if (position < 0) throw new RangeError('seek before the start of a lazy file');
      return position;
    },
  };
  return stats;
}
