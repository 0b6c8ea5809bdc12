import { describe, expect, it } from 'vitest';
import { createRng } from '../src/index.js';
import { symmetricEigen } from '../src/index.js';

describe('symmetricEigen (cyclic Jacobi)', () => {
  it('gives the eigenpairs of [[2, 1], [1, 2]]', () => {
    const { values, vectors } = symmetricEigen({ data: Float64Array.of(2, 1, 1, 2), rows: 2, cols: 2 });
    expect([...values].sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
    const top = values[0] > values[1] ? 0 : 1;
    expect(Math.abs(vectors[top])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[top] * vectors[2 + top]).toBeGreaterThan(0); // (1, 1)/√2, a column
  });
  it('reconstructs random symmetric 16 × 16 matrices at scales 1e-6 and 1e6 from orthonormal eigenvectors', () => {
    const rng = createRng(3),
      m = 16;
    for (const scale of [1e-6, 1e6]) {
      const a = new Float64Array(m * m);
      for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) a[i * m + j] = a[j * m + i] = scale * rng.normal();
      const { values, vectors } = symmetricEigen({ data: a, rows: m, cols: m });
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          let back = 0,
            dot = 0;
          for (let r = 0; r < m; r++) {
            back += values[r] * vectors[i * m + r] * vectors[j * m + r];
            dot += vectors[r * m + i] * vectors[r * m + j];
          }
          expect(Math.abs(back - a[i * m + j])).toBeLessThan(1e-10 * scale);
          expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
        }
    }
  });
});
