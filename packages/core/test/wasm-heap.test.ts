import { describe, expect, it } from 'vitest';
import { WasmHeap, decodeBase64 } from '../src/index.js';

describe('WasmHeap', () => {
  it('aligns, grows memory, and re-makes views after growth', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new WasmHeap(memory, 1000);
    const p = heap.put(new Float64Array([1, 2, 3]));
    expect(p % 16).toBe(0);
    expect(p).toBeGreaterThanOrEqual(1000);
    const big = heap.alloc(5 * 65536); // forces memory.grow, detaching the old buffer
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 5 * 65536);
    expect(Array.from(heap.f64(p, 3))).toEqual([1, 2, 3]);
  });

  it('releases a scope also when it throws', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1 }), 0);
    heap.scoped(() => heap.alloc(100));
    expect(heap.used).toBe(0);
    expect(() =>
      heap.scoped(() => {
        heap.alloc(100);
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(heap.used).toBe(0);
  });
});

describe('decodeBase64', () => {
  it('round-trips bytes of every length modulo 3', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37) & 255);
      const b64 = Buffer.from(bytes).toString('base64');
      expect(Array.from(decodeBase64(b64))).toEqual(Array.from(bytes));
    }
  });
});
