import { exp, log } from '@spyglass-wasm/core';

/**
 * A nonparametric test of one mode in 1-D, after the isocut test of ISO-SPLIT (Magland & Barnett
 * 2015, arXiv:1508.04841): the sample's density between neighbouring values is fitted by the
 * closest unimodal (up, then down) density, and the two are compared by a Kolmogorov–Smirnov
 * distance over the stretches at either end, each scaled by √(its points). A small second mode
 * next to a large one shows up in the stretch that holds it, where a whole-sample statistic would
 * drown it. Unlike a two-Gaussian mixture it assumes no shape: heavy tails, skew and outliers
 * (spikes overlapped by others') are unimodal as they are, and cannot hide a dip in a broad
 * component.
 */

/** Smallest stretch the score looks at: fewer points say nothing. */
const MIN_STRETCH = 8;

/**
 * The dip score: the largest √L · KS distance between the sample and its closest unimodal density
 * over the L gaps from either end up to the fitted mode (L = 8, 16, 32, … and all of them). One
 * population scores about 1; a second mode of a few dozen values beyond a dip, 2 and more.
 *
 * @example
 * isocutScore(normalSample); // ≈ 0.5–1.5
 * isocutScore([...normalSample, ...farSmallMode]); // > 2
 */
export function isocutScore(values: ArrayLike<number>): number {
  const x = Float64Array.from(values).sort();
  const n = x.length;
  if (n < 2 * MIN_STRETCH) return 0;
  // the density on each gap between neighbouring values: one value's mass over its width
  const range = x[n - 1] - x[0];
  if (!(range > 0)) return 0;
  const widths = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) widths[i] = Math.max(x[i + 1] - x[i], range * 1e-9);
  // the closest unimodal log density, each gap weighing one value (isocut's fit: the log tames
  // the noise of single gaps), and the mass it puts on each gap
  const logDensity = Float64Array.from(widths, (w) => -log(w));
  const fit = unimodalFit(logDensity);
  const mass = Float64Array.from(fit, (d, i) => exp(d) * widths[i]);
  let peak = 0;
  for (let i = 1; i < n - 1; i++) if (fit[i] > fit[peak]) peak = i;
  // stretches from each end up to the fitted mode, doubling
  let score = 0;
  for (const [reach, at] of [
    [peak + 1, (i: number) => mass[i]],
    [n - 1 - peak, (i: number) => mass[n - 2 - i]],
  ] as const) {
    for (let stretch = Math.min(MIN_STRETCH, reach); ; stretch = Math.min(2 * stretch, reach)) {
      score = Math.max(score, Math.sqrt(stretch) * ksOverStretch(at, stretch));
      if (stretch === reach) break;
    }
  }
  return score;
}

/**
 * Whether the values look like one population by {@link isocutScore}. The default threshold 2 sits
 * above what one population scores: 100 seeded samples each of normal, Student t (3), lognormal,
 * uniform and normal with 3 % far outliers, 40 to 3000 values, score 1.3–1.9 at their 95th
 * percentile (test/isocut.test.ts).
 *
 * @example
 * isocutUnimodal(heldOutProjection); // false when a second mode stands apart
 */
export function isocutUnimodal(values: ArrayLike<number>, threshold = 2): boolean {
  return isocutScore(values) < threshold;
}

/**
 * KS distance over the first `stretch` gaps between the sample (one value per gap) and the fitted
 * masses `at(i)`, both as cumulative fractions of the stretch.
 */
function ksOverStretch(at: (i: number) => number, stretch: number): number {
  let total = 0;
  for (let i = 0; i < stretch; i++) total += at(i);
  if (!(total > 0)) return 0;
  let fitted = 0,
    worst = 0;
  for (let i = 0; i < stretch; i++) {
    fitted += at(i);
    worst = Math.max(worst, Math.abs((i + 1) / stretch - fitted / total));
  }
  return worst;
}

/**
 * The least-squares fit of `y` that rises, then falls (rises on a prefix, falls on the rest, the
 * split chosen for the least error): two isotonic regressions (pool adjacent violators).
 */
function unimodalFit(y: Float64Array): Float64Array {
  const n = y.length;
  const rising = poolAdjacent(y, false).errors;
  const falling = poolAdjacent(y, true).errors;
  let split = 0;
  for (let k = 1; k <= n; k++) if (rising[k] + falling[k] < rising[split] + falling[split]) split = k;
  const out = new Float64Array(n);
  out.set(isotonicFit(y.subarray(0, split), false), 0);
  out.set(isotonicFit(y.subarray(split), true), split);
  return out;
}

/**
 * Pool adjacent violators over y, from its start (a rising fit) or from its end (`fromEnd`: a
 * falling one): the final blocks (sums and counts, in the order pooled) and the squared error of
 * the fit of each prefix y[0..k), k = 0..n, or with `fromEnd` of each suffix y[k..n). Each block of
 * pooled values explains count · mean².
 */
function poolAdjacent(y: Float64Array, fromEnd: boolean): { errors: Float64Array; sums: number[]; counts: number[] } {
  const n = y.length;
  const errors = new Float64Array(n + 1);
  const sums: number[] = [],
    counts: number[] = [];
  let squares = 0,
    explained = 0;
  for (let step = 0; step < n; step++) {
    const i = fromEnd ? n - 1 - step : step;
    let s = y[i],
      c = 1;
    squares += y[i] * y[i];
    // pool with the blocks before while their mean is not below this one's
    while (sums.length && sums[sums.length - 1] / counts[counts.length - 1] >= s / c) {
      const ps = sums.pop()!,
        pc = counts.pop()!;
      explained -= (ps * ps) / pc;
      s += ps;
      c += pc;
    }
    sums.push(s);
    counts.push(c);
    explained += (s * s) / c;
    errors[fromEnd ? i : i + 1] = Math.max(0, squares - explained);
  }
  return { errors, sums, counts };
}

/** The rising isotonic (least-squares) fit of y, or with `fromEnd` the falling one. */
function isotonicFit(y: Float64Array, fromEnd: boolean): Float64Array {
  const { sums, counts } = poolAdjacent(y, fromEnd);
  const out = new Float64Array(y.length);
  let at = 0;
  sums.forEach((s, b) => {
    const [from, to] = [at, (at += counts[b])];
    if (fromEnd) out.fill(s / counts[b], y.length - to, y.length - from);
    else out.fill(s / counts[b], from, to);
  });
  return out;
}
