/**
 * Elementary functions that return the same bits in every JavaScript engine.
 *
 * `Math.exp`, `Math.log`, `Math.sin`… are only required to be close to the true value, and engines
 * round them apart: Node 20 and Chromium 156 disagree in the last bit on 3–12 % of arguments of
 * exp, log, sin, cos, tan, atan2 and pow (test/math.test.ts shows it in Chromium). A result computed
 * in a browser tab and recomputed in Node for verification (an RO-Crate) must match bit for bit,
 * so every result that is stored uses these instead: stdlib-js's ports of FreeBSD msun / Cephes
 * (errors below 1 ulp), which use only IEEE-754 arithmetic, and which the build bundles at pinned
 * versions so an install cannot swap them. `Math.sqrt`, `Math.abs`, `Math.floor` … are exact and
 * stay. The lint rule `no-restricted-properties` keeps `Math.exp` and its kin out of package sources.
 *
 * @example
 * import { exp, log } from '@spyglass-wasm/core';
 * exp(log(2)); // 2, the same bits in Node, Chromium, Firefox and Safari
 */
export { default as exp } from '@stdlib/math-base-special-exp';
export { default as log } from '@stdlib/math-base-special-ln';
export { default as log2 } from '@stdlib/math-base-special-log2';
export { default as log10 } from '@stdlib/math-base-special-log10';
export { default as pow } from '@stdlib/math-base-special-pow';
export { default as sin } from '@stdlib/math-base-special-sin';
export { default as cos } from '@stdlib/math-base-special-cos';
export { default as tan } from '@stdlib/math-base-special-tan';
export { default as atan2 } from '@stdlib/math-base-special-atan2';
export { default as sinh } from '@stdlib/math-base-special-sinh';
export { default as cosh } from '@stdlib/math-base-special-cosh';
export { default as asinh } from '@stdlib/math-base-special-asinh';
export { default as hypot } from '@stdlib/math-base-special-hypot';

/**
 * Euclidean length of a vector, √Σx² (exact operations only: `Math.hypot` over many arguments is
 * engine-dependent like the rest).
 *
 * @example
 * norm([3, 4]); // 5
 */
export function norm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s);
}
