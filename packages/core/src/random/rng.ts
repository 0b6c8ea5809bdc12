import { cos, exp, log, sin } from '../math/index.js';
/**
 * A seeded random number generator (xoshiro128**, seeded by splitmix32), so every simulation is
 * reproducible from its seed in any JavaScript runtime.
 *
 * @example
 * const rng = createRng(7);
 * rng.uniform();   // [0, 1)
 * rng.normal();    // N(0, 1)
 * rng.poisson(3);  // Poisson(3)
 */
export interface Rng {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** Poisson with mean `lambda`. */
  poisson(lambda: number): number;
  /** Exponential with rate `rate`. */
  exponential(rate: number): number;
  /** Integer uniform on [0, n). */
  int(n: number): number;
  /** An independent generator derived from this one (for per-unit or per-worker streams). */
  fork(): Rng;
}

export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const st = new Uint32Array([split(), split(), split(), split()]);
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(st[1], 5), 7), 9) >>> 0;
    const t = st[1] << 9;
    st[2] ^= st[0];
    st[3] ^= st[1];
    st[1] ^= st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = rotl(st[3], 11);
    return result;
  };
  let spare: number | undefined;
  const rng: Rng = {
    uniform: () => next() / 4294967296,
    normal() {
      if (spare !== undefined) {
        const v = spare;
        spare = undefined;
        return v;
      }
      let u = 0;
      while (u === 0) u = rng.uniform();
      const v = rng.uniform();
      const r = Math.sqrt(-2 * log(u));
      spare = r * sin(2 * Math.PI * v);
      return r * cos(2 * Math.PI * v);
    },
    poisson(lambda) {
      if (lambda <= 0) return 0;
      if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
      const l = exp(-lambda);
      let k = 0;
      let p = 1;
      do {
        k++;
        p *= rng.uniform();
      } while (p > l);
      return k - 1;
    },
    exponential: (rate) => -log(1 - rng.uniform()) / rate,
    int: (n) => Math.floor(rng.uniform() * n),
    fork: () => createRng(next()),
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
