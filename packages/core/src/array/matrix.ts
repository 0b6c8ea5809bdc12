import { ParameterError } from '../errors/parameter-error.js';

/** Float arrays the kernels accept. */
export type FloatArray = Float32Array | Float64Array;

/**
 * A (rows × cols) row-major matrix: rows are samples in time, cols are channels, the NWB layout.
 * A 1-D signal is a matrix with one column.
 */
export interface Matrix<T extends ArrayLike<number> = FloatArray> {
  data: T;
  rows: number;
  cols: number;
}

/** The subset of an ndarray (scijs/ndarray) view the packages read. */
export interface NdArrayLike<T extends ArrayLike<number> = FloatArray> {
  data: T;
  shape: number[];
  stride: number[];
  offset: number;
}

/** Anything a kernel takes as (time × channels): a typed array (one channel), a Matrix, or a 1-D/2-D ndarray. */
export type MatrixInput<T extends ArrayLike<number> = FloatArray> = T | Matrix<T> | NdArrayLike<T>;

function isNdArray<T extends ArrayLike<number>>(x: unknown): x is NdArrayLike<T> {
  return typeof x === 'object' && x !== null && 'shape' in x && 'stride' in x && 'data' in x;
}

/**
 * Normalises any MatrixInput to a contiguous row-major Matrix. Contiguous ndarrays and matrices are
 * returned without copying; strided ndarray views are gathered once. `label` is the caller's name
 * for the argument or option (`'position'`, `'lfp'`), which an error names.
 *
 * @example
 * const m = toMatrix(options.position, 'position'); // bad input: "parameter 'position': expected …"
 */
export function toMatrix<T extends FloatArray>(x: MatrixInput<T>, label: string): Matrix<T> {
  if (ArrayBuffer.isView(x)) return { data: x as T, rows: (x as T).length, cols: 1 };
  if (isNdArray<T>(x)) {
    const { data, shape, stride, offset } = x;
    if (shape.length === 1) {
      if (stride[0] === 1) return { data: data.subarray(offset, offset + shape[0]) as T, rows: shape[0], cols: 1 };
    } else if (shape.length !== 2) {
      throw new ParameterError(label, 'a 1-D or 2-D (time × channels) array', `${shape.length}-D ndarray`);
    }
    const rows = shape[0];
    const cols = shape.length === 2 ? shape[1] : 1;
    const s0 = stride[0];
    const s1 = shape.length === 2 ? stride[1] : 1;
    if (s1 === 1 && s0 === cols) return { data: data.subarray(offset, offset + rows * cols) as T, rows, cols };
    const Ctor = data.constructor as { new (n: number): T };
    const out = new Ctor(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = data[offset + r * s0 + c * s1];
    return { data: out, rows, cols };
  }
  const m = x as Matrix<T>;
  if (!m || !ArrayBuffer.isView(m.data) || !Number.isInteger(m.rows) || !Number.isInteger(m.cols)) {
    throw new ParameterError(label, 'a Float32Array/Float64Array, a {data, rows, cols} matrix or an ndarray', x);
  }
  if (m.data.length < m.rows * m.cols) {
    throw new ParameterError(label, `data of length >= rows*cols = ${m.rows * m.cols}`, m.data);
  }
  return m;
}

/** A new matrix of the same element type. */
export function allocLike<T extends FloatArray>(like: T, rows: number, cols: number): Matrix<T> {
  const Ctor = like.constructor as { new (n: number): T };
  return { data: new Ctor(rows * cols), rows, cols };
}
