import { ParameterError, toMatrix, type Matrix } from '@spyglass-wasm/core';

/**
 * `x` as a checked (points × dimensions) float32 matrix: the one input form of PCA, clustering and
 * the cluster metrics (a bare Float32Array is one dimension).
 */
export function pointsMatrix(x: Matrix<Float32Array>, name = 'x'): Matrix<Float32Array> {
  const m = toMatrix<Float32Array>(x, name);
  if (!(m.data instanceof Float32Array)) {
    throw new ParameterError(name, 'a {data: Float32Array, rows, cols} matrix (points × dimensions)', m.data);
  }
  return m;
}
