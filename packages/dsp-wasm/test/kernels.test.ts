import { describe, expect, it } from 'vitest';
import { dspKernels } from '../src/wasm/kernels.js';
import { sosfiltReference } from '../src/reference/sosfilt.js';

describe('sosfiltF64 kernel', () => {
  it('matches the TypeScript reference on a 2-section, 3-channel signal', () => {
    const sos = new Float64Array([0.2, 0.4, 0.2, 1, -0.3, 0.1, 1, -1.2, 1, 1, -0.5, 0.25]);
    const rows = 101, cols = 3;
    const x = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.37) + (i % 7) * 0.1);
    const ref = x.slice();
    const ziRef = new Float64Array(2 * cols * 2);
    sosfiltReference(sos, ref, rows, cols, ziRef);

    const { exports, heap } = dspKernels.get();
    const [y, zi] = heap.scoped(() => {
      const pS = heap.put(sos), pX = heap.put(x), pZ = heap.put(new Float64Array(2 * cols * 2));
      exports.sosfiltF64(pS, 2, pX, rows, cols, pZ);
      return [heap.f64(pX, rows * cols).slice(), heap.f64(pZ, 2 * cols * 2).slice()];
    });
    for (let i = 0; i < y.length; i++) expect(y[i]).toBeCloseTo(ref[i], 12);
    for (let i = 0; i < zi.length; i++) expect(zi[i]).toBeCloseTo(ziRef[i], 12);
    expect(heap.used).toBe(0);
  });
});
