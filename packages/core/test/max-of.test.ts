import { describe, expect, it } from 'vitest';
import { maxOf, minOf } from '../src/index.js';

describe('maxOf', () => {
  it('is Math.max with a floor, NaN ignored', () => {
    expect(maxOf(Int32Array.of(2, -1, 5), -1)).toBe(5);
    expect(maxOf(Int32Array.of(-1, -1), -1)).toBe(-1);
    expect(maxOf([], -1)).toBe(-1);
    expect(maxOf([])).toBe(-Infinity);
    expect(maxOf([NaN, 3, NaN, 1])).toBe(3);
    expect(minOf([NaN, 3, NaN, 1])).toBe(1);
    expect(minOf([], 0)).toBe(0);
  });

  it('takes a million values, where Math.max(...values) throws RangeError', () => {
    const values = Float64Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(() => Math.max(...values)).toThrow(RangeError);
    expect(maxOf(values)).toBe(values.reduce((m, v) => Math.max(m, v), -Infinity));
    expect(minOf(values)).toBe(values.reduce((m, v) => Math.min(m, v), Infinity));
  });
});
