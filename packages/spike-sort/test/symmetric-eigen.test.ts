import { describe, expect, it } from 'vitest';
import { createRng } from '@spyglass-wasm/sim';
import { symmetricEigen } from '../src/features/symmetric-eigen.js';

describe('symmetricEigen (Jacobi)', () => {
  it('gives the eigenpairs of [[2, 1], [1, 2]]', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0] * vectors[1]).toBeGreaterThan(0);
  });
  it('reconstructs a random symmetric 16 × 16 matrix from sorted, orthonormal eigenpairs', () => {
    const rng = createRng(3), m = 16;
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) a[i * m + j] = a[j * m + i] = rng.normal();
    const { values, vectors } = symmetricEigen(a, m);
    for (let i = 1; i < m; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let back = 0, dot = 0;
        for (let r = 0; r < m; r++) {
          back += values[r] * vectors[r * m + i] * vectors[r * m + j];
          dot += vectors[i * m + r] * vectors[j * m + r];
        }
        expect(back).toBeCloseTo(a[i * m + j], 10);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
      }
  });
});
