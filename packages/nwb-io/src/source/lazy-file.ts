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

export interface LazyFileOptions {
  /** Bytes per cached block (default 64 KiB). */
  blockSize?: number;
  /** Blocks kept in the LRU cache (default 256). */
  cacheBlocks?: number;
  /** Bytes from the start of the file already fetched (the opening request): their whole blocks seed the cache. */
  head?: Uint8Array;
}

/**
 * Creates `path` in h5wasm's in-memory filesystem as a read-only file of `size` bytes whose reads
 * are served in blocks of `blockSize` from `readRange`, through an LRU block cache: HDF5 then reads
 * a remote file as if it were local, fetching only the blocks it touches. A read that needs several
 * adjacent blocks not in cache (a chunk of samples) fetches them in one range, not one per block.
 */
export function mountLazyFile(
  FS: EmscriptenFS & { createFile(parent: string, name: string, props: object, r: boolean, w: boolean): FsNode },
  path: string,
  size: number,
  readRange: (start: number, end: number) => Uint8Array,
  options: LazyFileOptions = {},
): LazyFileStats {
  const blockSize = options.blockSize ?? 1 << 16;
  const cache = new Lru<number, Uint8Array>(options.cacheBlocks ?? 256);
  const stats: LazyFileStats = { blocks: 0, cacheHits: 0 };
  const blockEnd = (i: number) => Math.min(size, (i + 1) * blockSize);
  seedCache(cache, options.head, blockSize, size);

  /** Blocks first..last, from the cache or fetched: each run of missing blocks is one request. */
  const blocks = (first: number, last: number): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (let i = first; i <= last;) {
      const cached = cache.peek(i);
      if (cached) {
        stats.cacheHits++;
        out.push(cached);
        i++;
        continue;
      }
      let runEnd = i;
      while (runEnd < last && cache.peek(runEnd + 1) === undefined) runEnd++;
      const bytes = readRange(i * blockSize, blockEnd(runEnd));
      for (let k = i; k <= runEnd; k++) {
        // a copy per block, so one evicted block does not pin the whole run's buffer
        const b = bytes.slice((k - i) * blockSize, blockEnd(k) - i * blockSize);
        cache.set(k, b);
        out.push(b);
        stats.blocks++;
      }
      i = runEnd + 1;
    }
    return out;
  };

  const node = FS.createFile('/', path.replace(/^\//, ''), {}, true, false);
  Object.defineProperty(node, 'usedBytes', { get: () => size });
  node.stream_ops = {
    read(_stream, buffer, offset, length, position) {
      const end = Math.min(size, position + length);
      if (end <= position) return 0;
      const first = Math.floor(position / blockSize);
      let at = position;
      for (const [k, b] of blocks(first, Math.floor((end - 1) / blockSize)).entries()) {
        const from = at - (first + k) * blockSize;
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

/** Puts the whole blocks of `head` (bytes from offset 0) in the cache; the last one too when head is the file. */
function seedCache(cache: Lru<number, Uint8Array>, head: Uint8Array | undefined, blockSize: number, size: number) {
  if (!head) return;
  for (let i = 0; i * blockSize < head.length; i++) {
    const end = Math.min(size, (i + 1) * blockSize);
    if (end > head.length) break;
    cache.set(i, head.slice(i * blockSize, end));
  }
  cache.misses = 0;
}
