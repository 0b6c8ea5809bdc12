import { cos, sin } from '@spyglass-wasm/core';
/** O(n²) DFT of interleaved complex values: the reference the FFT kernels are tested against. */
export function dftReference(data: Float64Array, n: number, inverse = false): Float64Array {
  const out = new Float64Array(2 * n);
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let re = 0,
      im = 0;
    for (let t = 0; t < n; t++) {
      const a = (sign * 2 * Math.PI * ((k * t) % n)) / n;
      const c = cos(a),
        s = sin(a);
      re += data[2 * t] * c - data[2 * t + 1] * s;
      im += data[2 * t] * s + data[2 * t + 1] * c;
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}
