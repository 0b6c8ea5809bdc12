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

/** Kernel coefficient table: per section b0 b1 b2 a1 a2, each value twice (an f64x2 splat). */
export function sosCoefTable(sos: ArrayLike<number>): Float64Array {
  const nsec = sos.length / 6;
  const t = new Float64Array(nsec * 10);
  for (let s = 0; s < nsec; s++) {
    [0, 1, 2, 4, 5].forEach((j, k) => {
      t[s * 10 + 2 * k] = sos[s * 6 + j];
      t[s * 10 + 2 * k + 1] = sos[s * 6 + j];
    });
  }
  return t;
}

/** Channels rounded up to even: the kernel state keeps channel pairs together. */
export const paddedCols = (cols: number): number => (cols + 1) & ~1;

/** zi (nsec × cols × 2, scipy's values in our row-major channel layout) -> kernel state. */
export function ziToState(zi: ArrayLike<number>, nsec: number, cols: number, state: Float64Array): void {
  const cp = paddedCols(cols);
  for (let s = 0; s < nsec; s++)
    for (let c = 0; c < cols; c++) {
      state[(s * 2) * cp + c] = zi[(s * cols + c) * 2];
      state[(s * 2 + 1) * cp + c] = zi[(s * cols + c) * 2 + 1];
    }
}

/** Kernel state -> zf (nsec × cols × 2). */
export function stateToZi(state: Float64Array, nsec: number, cols: number): Float64Array {
  const cp = paddedCols(cols);
  const zi = new Float64Array(nsec * cols * 2);
  for (let s = 0; s < nsec; s++)
    for (let c = 0; c < cols; c++) {
      zi[(s * cols + c) * 2] = state[(s * 2) * cp + c];
      zi[(s * cols + c) * 2 + 1] = state[(s * 2 + 1) * cp + c];
    }
  return zi;
}
