import { checkOptionNames, exp } from '@spyglass-wasm/core';

/** Gaussian smoothing of a uniformly sampled series (sd in samples), NaN-aware (renormalised weights). */
export function gaussianSmooth(x: Float64Array, sdSamples: number): Float64Array {
  if (!(sdSamples > 0.1)) return x.slice();
  const half = Math.ceil(4 * sdSamples),
    k = new Float64Array(2 * half + 1);
  for (let i = -half; i <= half; i++) k[i + half] = exp(-(i * i) / (2 * sdSamples * sdSamples));
  return convolve(x, k);
}

/** Centred moving average over `width` samples, NaN-aware. */
export function movingAverage(x: Float64Array, width: number): Float64Array {
  const w = Math.max(1, Math.round(width));
  if (w === 1) return x.slice();
  return convolve(x, new Float64Array(w).fill(1), Math.floor((w - 1) / 2));
}

function convolve(x: Float64Array, k: Float64Array, centre = (k.length - 1) / 2): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let s = 0,
      w = 0;
    for (let j = 0; j < k.length; j++) {
      const v = x[i + j - centre];
      if (v === undefined || Number.isNaN(v)) continue;
      s += k[j] * v;
      w += k[j];
    }
    out[i] = Number.isNaN(x[i]) || w === 0 ? NaN : s / w;
  }
  return out;
}

/**
 * Linear interpolation over NaN runs spanning at most `maxGapSeconds` (default all; ends stay NaN).
 *
 * @example
 * interpolateGaps(x, times, { maxGapSeconds: 0.5 });
 */
export function interpolateGaps(
  x: Float64Array,
  times: Float64Array,
  options: { maxGapSeconds?: number } = {},
): Float64Array {
  checkOptionNames('interpolateGaps', options, ['maxGapSeconds']);
  const maxGapSeconds = options.maxGapSeconds ?? Infinity;
  const out = x.slice();
  let last = -1;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i])) continue;
    if (last >= 0 && i - last > 1 && times[i] - times[last] <= maxGapSeconds) {
      for (let j = last + 1; j < i; j++)
        out[j] = x[last] + ((times[j] - times[last]) / (times[i] - times[last])) * (x[i] - x[last]);
    }
    last = i;
  }
  return out;
}

/** Unwraps an angle series (rad) so consecutive samples differ by less than π. */
export function unwrap(a: Float64Array): Float64Array {
  const out = a.slice();
  let offset = 0,
    prev = NaN;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i])) continue;
    if (!Number.isNaN(prev)) {
      const d = a[i] - prev;
      if (d > Math.PI) offset -= 2 * Math.PI * Math.round(d / (2 * Math.PI));
      else if (d < -Math.PI) offset += 2 * Math.PI * Math.round(-d / (2 * Math.PI));
    }
    prev = a[i];
    out[i] = a[i] + offset;
  }
  return out;
}

/** Wraps to (-π, π]. */
export function wrapAngle(a: number): number {
  const w = a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
  return w === -Math.PI ? Math.PI : w;
}
