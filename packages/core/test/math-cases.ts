// The arguments both math tests evaluate: a seeded sweep per function over the range results use
// (phases, log-densities, filter design, chi-squared tails), plus the edge values.
import { asinh, atan2, cos, cosh, exp, hypot, log, log10, log2, pow, sin, sinh, tan } from '../src/math/index.js';

type Fn = (x: number) => number;

/** Each function as one-argument, with the argument range it is swept over. */
export const FUNCTIONS: Record<string, { ours: Fn; engine: Fn; lo: number; hi: number }> = {
  exp: { ours: exp, engine: Math.exp, lo: -700, hi: 700 },
  log: { ours: log, engine: Math.log, lo: 1e-300, hi: 1e6 },
  log2: { ours: log2, engine: Math.log2, lo: 1e-12, hi: 1e12 },
  log10: { ours: log10, engine: Math.log10, lo: 1e-12, hi: 1e12 },
  pow: { ours: (x) => pow(x, 1.37), engine: (x) => Math.pow(x, 1.37), lo: 0, hi: 1e4 },
  sin: { ours: sin, engine: Math.sin, lo: -100, hi: 100 },
  cos: { ours: cos, engine: Math.cos, lo: -100, hi: 100 },
  tan: { ours: tan, engine: Math.tan, lo: -1.5, hi: 1.5 },
  atan2: { ours: (x) => atan2(x, 0.7), engine: (x) => Math.atan2(x, 0.7), lo: -50, hi: 50 },
  sinh: { ours: sinh, engine: Math.sinh, lo: -20, hi: 20 },
  cosh: { ours: cosh, engine: Math.cosh, lo: -20, hi: 20 },
  asinh: { ours: asinh, engine: Math.asinh, lo: -1e3, hi: 1e3 },
  hypot: { ours: (x) => hypot(x, 0.3), engine: (x) => Math.hypot(x, 0.3), lo: -1e3, hi: 1e3 },
};

const EDGES = [0, -0, 1, -1, 0.5, 2, 1e-310, Number.MIN_VALUE, Infinity, -Infinity, NaN];

/** `count` seeded arguments in [lo, hi) and the edge values (a small LCG: no Math.random). */
export function argumentsFor(lo: number, hi: number, count = 20_000): number[] {
  const xs = EDGES.slice();
  let s = 12345;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    xs.push(lo + (s / 2 ** 32) * (hi - lo));
  }
  return xs;
}

/** Every function's values on its arguments, as IEEE-754 bit patterns (hex), ours or the engine's. */
export function valueBits(which: 'ours' | 'engine'): Record<string, string[]> {
  const f64 = new Float64Array(1),
    u32 = new Uint32Array(f64.buffer);
  const out: Record<string, string[]> = {};
  for (const [name, f] of Object.entries(FUNCTIONS))
    out[name] = argumentsFor(f.lo, f.hi).map((x) => {
      f64[0] = f[which](x);
      return u32[1].toString(16) + ':' + u32[0].toString(16);
    });
  return out;
}
