import { ParameterError, toMatrix, type FloatArray, type Matrix, type MatrixInput } from '@spyglass-wasm/core';

/** The input as a matrix, and a way to hand results back in the same kind as the input. */
export interface SignalIO<T extends FloatArray> {
  m: Matrix<T>;
  /** A typed array for a typed-array input (one channel), a Matrix otherwise. */
  wrap(data: T, rows: number, cols?: number): T | Matrix<T>;
}

/**
 * Reads a (time × channels) input: Float32Array/Float64Array (one channel), Matrix or ndarray.
 * Other element types are rejected: convert raw integer samples to volts or µV first.
 */
export function signalIO<T extends FloatArray>(x: MatrixInput<T>, name = 'x'): SignalIO<T> {
  const m = toMatrix(x, name);
  if (!(m.data instanceof Float32Array || m.data instanceof Float64Array)) {
    throw new ParameterError(name, 'Float32Array or Float64Array samples', m.data);
  }
  const bare = ArrayBuffer.isView(x);
  return { m, wrap: (data, rows, cols = m.cols) => (bare ? data : { data, rows, cols }) };
}
