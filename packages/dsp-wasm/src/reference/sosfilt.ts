import type { FloatArray } from '@spyglass-wasm/core';

/**
 * Plain TypeScript reference of the sosfilt kernels: transposed direct form II, in place on a
 * row-major (rows × cols) matrix, row by row through every section, with the kernels' state layout
 * (nsec × 2 × stride). `single` rounds every operation to float32, as sosfiltF32Single does.
 */
export function sosfiltReference(
  sos: ArrayLike<number>,
  x: FloatArray,
  rows: number,
  cols: number,
  state: Float64Array | Float32Array,
  stride: number,
  reverse: boolean,
  single = false,
): void {
  const nsec = sos.length / 6;
  const f = single ? Math.fround : identity;
  const c = Float64Array.from(sos, (v) => f(v));
  for (let i = 0; i < rows; i++) {
    const r = reverse ? rows - 1 - i : i;
    for (let ch = 0; ch < cols; ch++) {
      let v = x[r * cols + ch];
      for (let s = 0; s < nsec; s++) {
        const b0 = c[s * 6],
          b1 = c[s * 6 + 1],
          b2 = c[s * 6 + 2],
          a1 = c[s * 6 + 4],
          a2 = c[s * 6 + 5];
        const z0 = s * 2 * stride + ch,
          z1 = z0 + stride;
        const y = f(f(b0 * v) + state[z0]);
        state[z0] = f(f(f(b1 * v) - f(a1 * y)) + state[z1]);
        state[z1] = f(f(b2 * v) - f(a2 * y));
        v = y;
      }
      x[r * cols + ch] = v;
    }
  }
}

const identity = (v: number): number => v;
