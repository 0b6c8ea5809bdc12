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

/**
 * The cascade with its poles and zeros apart (decimate's backward pass, assembly/sos-poles.ts):
 * per section (a1, a2), and the numerator of the whole cascade, the sections' (b0, b1, b2)
 * multiplied (2·nsec + 1 taps).
 */
export function sosPolesTable(sos: ArrayLike<number>): { poles: Float64Array; taps: Float64Array } {
  const nsec = sos.length / 6;
  const poles = new Float64Array(2 * nsec);
  let taps = Float64Array.of(1);
  for (let s = 0; s < nsec; s++) {
    poles[2 * s] = sos[s * 6 + 4];
    poles[2 * s + 1] = sos[s * 6 + 5];
    const next = new Float64Array(taps.length + 2);
    for (let i = 0; i < taps.length; i++) for (let j = 0; j < 3; j++) next[i + j] += taps[i] * sos[s * 6 + j];
    taps = next;
  }
  return { poles, taps };
}

/** sosPolesTable with every value splatted across the two f64 lanes: the kernel's coefficient table. */
export function sosPolesKernelTable(t: { poles: Float64Array; taps: Float64Array }): Float64Array {
  return Float64Array.from([...t.poles, ...t.taps].flatMap((v) => [v, v]));
}

/**
 * The poles-apart state (nsec × 2 × stride pole outputs, then ntaps × stride ring) of a constant
 * input `row[c]` in every channel since forever: each section's output is its input over
 * 1 + a1 + a2. The same steady state as scipy's zi × value for the whole cascade.
 */
export function sosPolesSteadyState(
  t: { poles: Float64Array; taps: Float64Array },
  row: ArrayLike<number>,
  stride: number,
  state: Float64Array,
): void {
  const nsec = t.poles.length / 2;
  for (let c = 0; c < row.length; c++) {
    let v = row[c];
    for (let s = 0; s < nsec; s++) {
      v /= 1 + t.poles[2 * s] + t.poles[2 * s + 1];
      state[2 * s * stride + c] = v;
      state[(2 * s + 1) * stride + c] = v;
    }
    for (let k = 0; k < t.taps.length; k++) state[(2 * nsec + k) * stride + c] = v;
  }
}
