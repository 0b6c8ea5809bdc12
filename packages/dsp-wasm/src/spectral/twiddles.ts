import { cos, log2, sin } from '@spyglass-wasm/core';
const cache = new Map<number, { forward: Float64Array; inverse: Float64Array }>();

/**
 * Twiddle tables of the radix-2 kernel for size n: n/2 entries of [wr, wr, −wi, wi] with
 * w_k = exp(−2πik/n) (forward) or its conjugate (inverse). Cached per size.
 */
export function fftTwiddles(n: number): { forward: Float64Array; inverse: Float64Array } {
  let t = cache.get(n);
  if (!t) {
    const forward = new Float64Array(2 * n);
    const inverse = new Float64Array(2 * n);
    for (let k = 0; k < n / 2; k++) {
      const a = (-2 * Math.PI * k) / n;
      const wr = cos(a),
        wi = sin(a);
      forward.set([wr, wr, -wi, wi], 4 * k);
      inverse.set([wr, wr, wi, -wi], 4 * k);
    }
    t = { forward, inverse };
    if (cache.size > 32) cache.clear();
    cache.set(n, t);
  }
  return t;
}

export const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;
export const nextPowerOfTwo = (n: number): number => 2 ** Math.ceil(log2(Math.max(1, n)));

const revCache = new Map<number, Int32Array>();

/** rev[i]: i with its log2(n) bits reversed, the slot where a DIF transform leaves frequency i. */
export function bitReversal(n: number): Int32Array {
  let rev = revCache.get(n);
  if (!rev) {
    const bits = Math.round(log2(n));
    rev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let k = 0;
      for (let b = 0, v = i; b < bits; b++, v >>= 1) k = (k << 1) | (v & 1);
      rev[i] = k;
    }
    if (revCache.size > 32) revCache.clear();
    revCache.set(n, rev);
  }
  return rev;
}
