import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { ParameterError, checkNumber, toMatrix, takeColumns } from '../src/index.js';

describe('toMatrix', () => {
  it('accepts typed arrays, matrices and ndarray views (strided ones gathered)', () => {
    const data = Float64Array.from({ length: 12 }, (_, i) => i);
    expect(toMatrix(data, 'x')).toEqual({ data, rows: 12, cols: 1 });
    const nd = ndarray(data, [4, 3]);
    expect(toMatrix(nd, 'x').data.buffer).toBe(data.buffer); // contiguous: no copy
    const t = nd.transpose(1, 0); // 3 × 4, not contiguous
    const m = toMatrix(t, 'x');
    expect([m.rows, m.cols]).toEqual([3, 4]);
    expect(Array.from(m.data)).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
    expect(Array.from(takeColumns(m, 1, 3).data)).toEqual([3, 6, 4, 7, 5, 8]);
  });

  it('names the parameter in a ParameterError', () => {
    expect(() => toMatrix({ data: new Float32Array(3), rows: 2, cols: 2 }, 'lfp')).toThrow(ParameterError);
    expect(() => toMatrix({ data: new Float32Array(3), rows: 2, cols: 2 }, 'lfp')).toThrow(/parameter 'lfp'/);
    expect(() => toMatrix([[1, 2]] as never, 'position')).toThrow(/^parameter 'position': expected a Float32Array/);
    const cube = ndarray(new Float64Array(8), [2, 2, 2]);
    expect(() => toMatrix(cube, 'lfp')).toThrow("parameter 'lfp': expected a 1-D or 2-D (time × channels) array");
    expect(() => checkNumber('order', 11, { min: 1, max: 10, integer: true })).toThrow(
      /'order': expected an integer >= 1 <= 10, got 11/,
    );
  });
});
