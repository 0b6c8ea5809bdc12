import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64, fromTypedJson, toTypedJson } from '../src/index.js';

describe('typed JSON', () => {
  it('encodes base64 as Node does, for every remainder length, and decodes it back', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 12_289]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
      expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
    }
  });

  it('round-trips typed arrays (views into larger buffers too) inside plain JSON', () => {
    const big = new Float64Array([1, 0.1, -2.5e-300, NaN, Infinity]);
    const value = { a: big.subarray(1, 4), b: Float32Array.of(0.5, 3), c: [Int32Array.of(-7)], d: 'text', e: { f: 1 } };
    const back = fromTypedJson<typeof value>(toTypedJson(value));
    expect(back.a).toBeInstanceOf(Float64Array);
    expect(Array.from(back.a)).toEqual([0.1, -2.5e-300, NaN]);
    expect(back.b).toEqual(Float32Array.of(0.5, 3));
    expect(back.c[0]).toEqual(Int32Array.of(-7));
    expect([back.d, back.e]).toEqual(['text', { f: 1 }]);
  });
});
