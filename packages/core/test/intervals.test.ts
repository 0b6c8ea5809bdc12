import { describe, expect, it } from 'vitest';
import {
  intersectIntervals,
  mergeIntervals,
  removalWindows,
  subtractIntervals,
  unionIntervals,
  validIntervalsFromTimes,
} from '../src/index.js';

describe('interval set operations', () => {
  it('merges, unites, intersects and subtracts', () => {
    expect(
      mergeIntervals([
        [3, 4],
        [1, 2],
        [1.5, 3.2],
        [9, 8],
      ]),
    ).toEqual([[1, 4]]);
    expect(
      unionIntervals(
        [[0, 1]],
        [
          [2, 3],
          [0.5, 1.5],
        ],
      ),
    ).toEqual([
      [0, 1.5],
      [2, 3],
    ]);
    expect(
      intersectIntervals(
        [
          [0, 5],
          [6, 10],
        ],
        [
          [4, 7],
          [9, 12],
        ],
      ),
    ).toEqual([
      [4, 5],
      [6, 7],
      [9, 10],
    ]);
    expect(
      subtractIntervals(
        [[0, 10]],
        [
          [2, 3],
          [5, 6],
          [9, 12],
        ],
      ),
    ).toEqual([
      [0, 2],
      [3, 5],
      [6, 9],
    ]);
    expect(subtractIntervals([[0, 1]], [[-1, 2]])).toEqual([]);
    expect(
      subtractIntervals(
        [
          [0, 1],
          [2, 3],
        ],
        [],
      ),
    ).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('builds removal windows around times', () => {
    expect(removalWindows([1, 1.004, 5], 0.005)).toEqual([
      [0.995, 1.009],
      [4.995, 5.005],
    ]);
  });

  it('finds valid intervals from gaps and rejects non-monotonic timestamps', () => {
    const t = [0, 0.001, 0.002, 0.003, 0.5, 0.501, 0.502];
    expect(validIntervalsFromTimes(t)).toEqual([
      [0, 0.003],
      [0.5, 0.502],
    ]);
    expect(validIntervalsFromTimes(t, { minLength: 0.0025 })).toEqual([[0, 0.003]]);
    expect(() => validIntervalsFromTimes([0, 1, 1, 2])).toThrow(/not strictly increasing at index 2/);
  });
});
