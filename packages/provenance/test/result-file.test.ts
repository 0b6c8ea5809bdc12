import { describe, expect, it } from 'vitest';
import { decodeResult, encodeResult, resultDigest } from '../src/index.js';

describe('result files', () => {
  const data = {
    arrays: {
      a: { data: Float64Array.of(1.5, -2, Math.PI), shape: [3] },
      b: { data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [3, 2] },
      c: { data: Uint8Array.of(7, 8, 9), shape: [3] },
      d: { data: Int32Array.of(-1, 2 ** 30), shape: [2] },
    },
    json: { name: 'x', nested: { list: [1, 'two'] } },
  };

  it('round-trip arrays bit-exactly, also from a Node Buffer at an odd offset', async () => {
    const bytes = encodeResult(data, { key: 'k' });
    const padded = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(bytes)]).subarray(3);
    for (const input of [bytes, padded]) {
      const back = decodeResult(input);
      expect(back.provenance).toEqual({ key: 'k' });
      expect(back.json).toEqual(data.json);
      for (const [k, v] of Object.entries(data.arrays)) {
        expect(back.arrays[k].shape).toEqual(v.shape);
        expect(back.arrays[k].data.constructor).toBe(v.data.constructor);
        expect(Array.from(back.arrays[k].data)).toEqual(Array.from(v.data));
      }
      expect(await resultDigest(back)).toBe(await resultDigest(data));
    }
  });

  it('rejects bytes that are not a result file, naming the file', () => {
    expect(() => decodeResult(new Uint8Array(40), 'x.sgr')).toThrow(/x\.sgr/);
  });

  it('digest changes with any array byte or JSON value', async () => {
    const d0 = await resultDigest(data);
    const changed = { ...data, arrays: { ...data.arrays, a: { data: Float64Array.of(1.5, -2, 3.14), shape: [3] } } };
    expect(await resultDigest(changed)).not.toBe(d0);
    expect(await resultDigest({ ...data, json: { ...data.json, name: 'y' } })).not.toBe(d0);
  });
});
