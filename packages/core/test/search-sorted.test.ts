import { describe, expect, it } from 'vitest';
import { searchSorted } from '../src/index.js';

describe('searchSorted', () => {
  it("is numpy.searchsorted(side='left') on arrays, ties and both ends included", () => {
    const a = Float64Array.of(0, 1, 1, 2, 5);
    // numpy.searchsorted([0, 1, 1, 2, 5], [-1, 0, 1, 1.5, 2, 5, 6]) == [0, 0, 1, 3, 3, 4, 5]
    expect([-1, 0, 1, 1.5, 2, 5, 6].map((v) => searchSorted(a, v))).toEqual([0, 0, 1, 3, 3, 4, 5]);
    expect(searchSorted([], 3)).toBe(0);
  });

  it('takes a function of the index with its length, and refuses one without', () => {
    expect(searchSorted((i) => i / 30000, 0.5, 30000 * 60)).toBe(15000);
    expect(() => searchSorted((i) => i, 1)).toThrow(/needs its length/);
  });
});
