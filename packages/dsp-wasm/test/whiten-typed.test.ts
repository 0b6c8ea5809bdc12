// whiten's Float32Array paths (the 4-channel unrolled loops, the Wasm kernels for more channels)
// are apart from the generic loops for speed only: the same data as Float64Array must give the same
// W, mean and values.
import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/core';
import { whiten } from '../src/index.js';

describe('whiten on Float32Array data', () => {
  it('gives exactly what the generic loops give, on 4 channels and on 5 to 13 (several Wasm blocks), with a NaN row', () => {
    const rng = createRng(3);
    for (const cols of [4, 5, 6, 12, 13]) {
      const rows = cols === 4 ? 2000 : 12000;
      const f32 = Float32Array.from({ length: rows * cols }, (_, i) => rng.normal() + 0.3 * (i % cols));
      f32[17 * cols + 1] = Number.NaN;
      const f64 = Float64Array.from(f32);
      const a = whiten({ data: f32, rows, cols }),
        b = whiten({ data: f64, rows, cols });
      expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
      expect(Array.from(a.W)).toEqual(Array.from(b.W));
      expect(Array.from(a.y.data)).toEqual(Array.from(b.y.data, (v) => Math.fround(v)));
    }
  });
});
