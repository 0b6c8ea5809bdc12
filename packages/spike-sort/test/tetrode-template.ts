// A tetrode template for the collision tests: 60 samples × 4 channels.
export const L = 60,
  C = 4;

/** A template: a trough of `width` samples at `at` on each channel with the given gains, and a rebound. */
export function template(gains: number[], width: number, at = 20): Float32Array {
  const out = new Float32Array(L * C);
  for (let t = 0; t < L; t++)
    for (let c = 0; c < C; c++)
      out[t * C + c] =
        gains[c] *
        (-Math.exp(-(((t - at) / width) ** 2)) + 0.3 * Math.exp(-(((t - at - 3 * width) / (2 * width)) ** 2)));
  return out;
}
