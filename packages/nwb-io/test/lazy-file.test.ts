import { describe, expect, it } from 'vitest';
import { mountLazyFile } from '../src/source/lazy-file.js';

type Node = Parameters<typeof mountLazyFile>[0] extends { createFile(...a: never[]): infer N } ? N : never;

/** A 10-block file of bytes i % 251 behind a counting readRange, mounted on a stand-in filesystem. */
function lazyFile(options: { head?: number } = {}) {
  const BLOCK = 1024;
  const size = 10 * BLOCK - 100;
  const file = Uint8Array.from({ length: size }, (_, i) => i % 251);
  const ranges: [number, number][] = [];
  let node: Node | undefined;
  const fs = {
    createFile: (_parent: string, _name: string) => (node = { stream_ops: undefined } as unknown as Node),
  };
  const stats = mountLazyFile(
    fs as never,
    '/lazy.nwb',
    size,
    (start, end) => (ranges.push([start, end]), file.slice(start, end)),
    { blockSize: BLOCK, cacheBlocks: 64, head: options.head ? file.slice(0, options.head) : undefined },
  );
  const read = (position: number, length: number) => {
    const out = new Uint8Array(length);
    const n = node!.stream_ops.read(undefined, out, 0, length, position);
    return { n, bytes: out.subarray(0, n) };
  };
  return { read, ranges, stats, file, BLOCK, size };
}

describe('mountLazyFile: the block cache of a remote file', () => {
  it('serves reads inside the opening request from its bytes, fetching nothing', () => {
    const f = lazyFile({ head: 2048 + 10 });
    const { n, bytes } = f.read(100, 1900);
    expect(n).toBe(1900);
    expect(Array.from(bytes)).toEqual(Array.from(f.file.subarray(100, 2000)));
    expect(f.ranges).toEqual([]);
  });

  it('fetches a run of adjacent missing blocks in one range request', () => {
    const f = lazyFile({ head: 1024 });
    const { bytes } = f.read(500, 4 * f.BLOCK);
    expect(Array.from(bytes)).toEqual(Array.from(f.file.subarray(500, 500 + 4 * f.BLOCK)));
    expect(f.ranges).toEqual([[f.BLOCK, 5 * f.BLOCK]]); // blocks 1–4, block 0 came with the head
    expect(f.stats.blocks).toBe(4);
  });

  it('splits the request around cached blocks and clamps at the end of the file', () => {
    const f = lazyFile();
    f.read(3 * f.BLOCK, 10); // block 3 cached
    const { n, bytes } = f.read(f.BLOCK, f.size);
    expect(n).toBe(f.size - f.BLOCK);
    expect(Array.from(bytes)).toEqual(Array.from(f.file.subarray(f.BLOCK)));
    expect(f.ranges).toEqual([
      [3 * f.BLOCK, 4 * f.BLOCK],
      [f.BLOCK, 3 * f.BLOCK],
      [4 * f.BLOCK, f.size],
    ]);
    expect(f.read(f.size, 10).n).toBe(0);
    expect(f.ranges).toHaveLength(3);
  });
});
