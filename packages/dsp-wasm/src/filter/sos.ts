import { ParameterError } from '@spyglass-wasm/core';

/** Checks an SOS array (nsec × 6, a0 == 1, finite) and returns its number of sections. */
export function checkSos(sos: ArrayLike<number>): number {
  if (!sos || sos.length === 0 || sos.length % 6 !== 0) {
    throw new ParameterError('sos', 'an array of nsec × 6 coefficients [b0 b1 b2 a0 a1 a2]', sos);
  }
  for (let i = 0; i < sos.length; i++) {
    if (!Number.isFinite(sos[i])) throw new ParameterError('sos', 'finite coefficients', sos[i]);
    if (i % 6 === 3 && sos[i] !== 1) throw new ParameterError('sos', 'a0 == 1 in every section', sos[i]);
  }
  return sos.length / 6;
}

/** Arithmetic of a filter pass: float64 (default, scipy's) or float32 (float32 data only, faster). */
export type Precision = 'float64' | 'float32';

/** SIMD lanes of the kernel for a precision: channels per v128. */
export const lanesOf = (precision: Precision): number => (precision === 'float32' ? 4 : 2);

/** Channels rounded up to whole lane groups: the kernel state keeps a lane group together. */
export const paddedCols = (cols: number, lanes: number): number => Math.ceil(cols / lanes) * lanes;

/** Kernel coefficient table: per section b0 b1 b2 a1 a2, each value splatted across the lanes. */
export function sosCoefTable(sos: ArrayLike<number>, precision: Precision): Float64Array | Float32Array {
  const nsec = sos.length / 6;
  const lanes = lanesOf(precision);
  const t = precision === 'float32' ? new Float32Array(nsec * 5 * lanes) : new Float64Array(nsec * 5 * lanes);
  for (let s = 0; s < nsec; s++) {
    [0, 1, 2, 4, 5].forEach((j, k) => t.fill(sos[s * 6 + j], (s * 5 + k) * lanes, (s * 5 + k + 1) * lanes));
  }
  return t;
}

/** zi (nsec × cols × 2, our row-major channel layout) -> kernel state (nsec × 2 × stride). */
export function ziToState(
  zi: ArrayLike<number>,
  nsec: number,
  cols: number,
  stride: number,
  state: Float64Array | Float32Array,
): void {
  for (let s = 0; s < nsec; s++)
    for (let c = 0; c < cols; c++) {
      state[s * 2 * stride + c] = zi[(s * cols + c) * 2];
      state[(s * 2 + 1) * stride + c] = zi[(s * cols + c) * 2 + 1];
    }
}

/** Kernel state -> zf (nsec × cols × 2). */
export function stateToZi(
  state: Float64Array | Float32Array,
  nsec: number,
  cols: number,
  stride: number,
): Float64Array {
  const zi = new Float64Array(nsec * cols * 2);
  for (let s = 0; s < nsec; s++)
    for (let c = 0; c < cols; c++) {
      zi[(s * cols + c) * 2] = state[s * 2 * stride + c];
      zi[(s * cols + c) * 2 + 1] = state[(s * 2 + 1) * stride + c];
    }
  return zi;
}
