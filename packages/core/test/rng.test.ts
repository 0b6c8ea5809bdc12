import { describe, expect, it } from 'vitest';
import { createRng } from '../src/index.js';

describe('createRng', () => {
  it('is reproducible from its seed and differs across seeds', () => {
    const a = createRng(42),
      b = createRng(42),
      c = createRng(43);
    const xa = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xa);
  });

  it('has the right moments', () => {
    const rng = createRng(1);
    const n = 200_000;
    let su = 0,
      sn = 0,
      sn2 = 0,
      sp = 0;
    for (let i = 0; i < n; i++) {
      su += rng.uniform();
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
      sp += rng.poisson(3.5);
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 2);
    expect(sn2 / n).toBeCloseTo(1, 1);
    expect(sp / n).toBeCloseTo(3.5, 1);
  });
});
