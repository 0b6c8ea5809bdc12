// The array steps of Spyglass's Trodes position pipeline, each written to give numpy/scipy's
// numbers (not their code): np.gradient, scipy.ndimage.gaussian_filter1d (zeros beyond the ends,
// NaN spreading over the kernel), bottleneck.move_mean (trailing, NaN-skipping), np.unwrap,
// np.linspace; np.median of the steps is core's medianStep. Private to processPosition.

import { exp } from '@spyglass-wasm/core';
/** np.gradient(x, t): second-order central differences (uneven steps allowed), one-sided at the ends. */
export function gradient(x: ArrayLike<number>, t: ArrayLike<number>): Float64Array {
  const n = x.length,
    out = new Float64Array(n);
  if (n < 2) return out.fill(NaN);
  out[0] = (x[1] - x[0]) / (t[1] - t[0]);
  out[n - 1] = (x[n - 1] - x[n - 2]) / (t[n - 1] - t[n - 2]);
  const steps = Array.from({ length: n - 1 }, (_, i) => t[i + 1] - t[i]);
  const even = steps.every((d) => d === steps[0]);
  for (let i = 1; i < n - 1; i++) {
    if (even) {
      out[i] = (x[i + 1] - x[i - 1]) / (2 * steps[0]);
      continue;
    }
    const d1 = steps[i - 1],
      d2 = steps[i];
    const a = -d2 / (d1 * (d1 + d2)),
      b = (d2 - d1) / (d1 * d2),
      c = d1 / (d2 * (d1 + d2));
    out[i] = a * x[i - 1] + b * x[i] + c * x[i + 1];
  }
  return out;
}

/**
 * gaussian_filter1d(x, sigma, truncate=8, mode='constant'), as position_tools' gaussian_smooth:
 * zeros beyond the ends (so the first and last σ·8 samples are pulled towards 0), and a NaN
 * anywhere under the kernel makes the output NaN. sigma in samples; 0 returns a copy.
 */
export function gaussianFilterZeroPadded(x: ArrayLike<number>, sigma: number, truncate = 8): Float64Array {
  const n = x.length,
    out = Float64Array.from(x);
  if (sigma === 0) return out;
  const radius = Math.floor(truncate * sigma + 0.5);
  const w = new Float64Array(radius + 1);
  let sum = 0;
  const phi = (k: number) => exp((-0.5 / (sigma * sigma)) * (k * k));
  for (let k = -radius; k <= radius; k++) sum += phi(k);
  for (let k = 0; k <= radius; k++) w[k] = phi(k) / sum;
  const at = (i: number) => (i < 0 || i >= n ? 0 : x[i]);
  for (let i = 0; i < n; i++) {
    let s = x[i] * w[0];
    for (let k = radius; k >= 1; k--) s += (at(i - k) + at(i + k)) * w[k];
    out[i] = s;
  }
  return out;
}

/** bottleneck.move_mean(x, window, min_count=1): mean of the finite values among x[i−w+1 … i]. */
export function trailingMean(x: ArrayLike<number>, window: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let s = 0,
      count = 0;
    for (let j = Math.max(0, i - window + 1); j <= i; j++) {
      if (!Number.isNaN(x[j])) {
        s += x[j];
        count++;
      }
    }
    out[i] = count > 0 ? s / count : NaN;
  }
  return out;
}

/** np.unwrap of the non-NaN samples (taken in order, skipping NaN), written back in place of them. */
export function unwrapSkippingNaN(a: Float64Array): Float64Array {
  const out = a.slice();
  const period = 2 * Math.PI;
  let prev = NaN,
    correction = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i])) continue;
    if (!Number.isNaN(prev)) {
      const dd = a[i] - prev;
      let dmod = pythonMod(dd + Math.PI, period) - Math.PI;
      if (dmod === -Math.PI && dd > 0) dmod = Math.PI;
      if (!(Math.abs(dd) < Math.PI)) correction += dmod - dd;
      out[i] = a[i] + correction;
    }
    prev = a[i];
  }
  return out;
}

function pythonMod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && m < 0 !== b < 0 ? m + b : m;
}

/** np.linspace(start, stop, count), the last value exactly stop. */
export function linspace(start: number, stop: number, count: number): Float64Array {
  const step = (stop - start) / (count - 1);
  const out = Float64Array.from({ length: count }, (_, i) => i * step + start);
  if (count > 1) out[count - 1] = stop;
  return out;
}

/**
 * Linear interpolation in time of NaN runs whose bracketing valid samples are at most `maxGap`
 * seconds apart; a run at either end, or a longer one, stays NaN. `valid[i]` says which samples
 * the interpolation may stand on; a finite value is always kept.
 */
export function fillGaps(v: Float64Array, t: ArrayLike<number>, valid: Uint8Array, maxGap: number): Float64Array {
  const out = v.slice();
  let last = -1;
  for (let i = 0; i < v.length; i++) {
    if (!valid[i]) continue;
    if (last >= 0 && i - last > 1 && t[i] - t[last] <= maxGap) {
      const slope = (v[i] - v[last]) / (t[i] - t[last]);
      for (let j = last + 1; j < i; j++) if (!Number.isFinite(v[j])) out[j] = slope * (t[j] - t[last]) + v[last];
    }
    last = i;
  }
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(out[i])) out[i] = NaN;
  return out;
}

/** Values at `at` by linear interpolation in time between the neighbouring samples (NaN if either is). */
export function resampleLinear(v: Float64Array, t: ArrayLike<number>, at: Float64Array): Float64Array {
  const out = new Float64Array(at.length);
  let j = 0;
  for (let i = 0; i < at.length; i++) {
    while (j < t.length - 2 && t[j + 1] <= at[i]) j++;
    if (at[i] === t[j]) out[i] = v[j];
    else if (at[i] === t[j + 1]) out[i] = v[j + 1];
    else out[i] = ((v[j + 1] - v[j]) / (t[j + 1] - t[j])) * (at[i] - t[j]) + v[j];
  }
  return out;
}
