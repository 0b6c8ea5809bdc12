import { describe, expect, it } from 'vitest';
import { createRng, exp } from '@spyglass-wasm/core';
import { isocutScore, isocutUnimodal, isUnimodal } from '../src/index.js';
import { ANY_DIP } from '../src/cluster/unimodality.js';

const rng = createRng(7);
const studentT3 = () => rng.normal() / Math.sqrt((rng.normal() ** 2 + rng.normal() ** 2 + rng.normal() ** 2) / 3);
const ONE_POPULATION: Record<string, () => number> = {
  normal: () => rng.normal(),
  'Student t (3)': studentT3,
  lognormal: () => exp(0.6 * rng.normal()),
  uniform: () => rng.uniform(),
  'normal with 3 % far outliers': () => (rng.uniform() < 0.03 ? -4 - 6 * rng.uniform() : rng.normal()),
};

/** Values drawn uniformly within each unit-wide bin of a histogram. */
const fromHistogram = (counts: number[]) =>
  counts.flatMap((c, b) => Array.from({ length: c }, () => b + rng.uniform()));

describe('isocutScore', () => {
  for (const [name, draw] of Object.entries(ONE_POPULATION))
    for (const n of [40, 300, 3000])
      it(`scores one population (${name}, ${n} values) under 2 in at least 95 of 100 samples`, () => {
        const scores = Array.from({ length: 100 }, () => isocutScore(Array.from({ length: n }, draw)));
        expect(scores.filter((s) => s >= 2).length).toBeLessThanOrEqual(5);
      });

  it('finds a small mode beside a large one that a two-Gaussian fit takes into a broad component', () => {
    // the projection mergeShiftedTemplates saw for two units of the overlapping regime (seed 1): a
    // large unit's mode, a small one's beyond a dip, and collisions' tails on both sides
    const counts = [2, 5, 2, 2, 2, 4, 9, 109, 342, 179, 27, 7, 19, 43, 66, 20, 2];
    for (let r = 0; r < 10; r++) {
      const values = fromHistogram(counts);
      expect(isUnimodal(values, { valley: ANY_DIP })).toBe(true);
      expect(isocutUnimodal(values)).toBe(false);
    }
  });

  it('separates two modes of 400 and 80 values 7 SD apart, not 3 SD apart (where the density has no dip)', () => {
    const two = (d: number) => [
      ...Array.from({ length: 400 }, () => rng.normal()),
      ...Array.from({ length: 80 }, () => rng.normal() - d),
    ];
    expect(Array.from({ length: 20 }, () => isocutUnimodal(two(7))).filter(Boolean).length).toBeLessThanOrEqual(2);
    expect(Array.from({ length: 20 }, () => isocutUnimodal(two(3))).filter(Boolean).length).toBeGreaterThanOrEqual(18);
  });

  it('is 0 for too few or equal values, and the same in any order', () => {
    expect(isocutScore([1, 2, 3])).toBe(0);
    expect(isocutScore(new Float64Array(100).fill(4))).toBe(0);
    const values = fromHistogram([3, 30, 60, 20, 2, 1, 8, 20, 5]);
    expect(isocutScore([...values].reverse())).toBe(isocutScore(values));
  });
});
