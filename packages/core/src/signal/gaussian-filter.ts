import { exp } from '../math/index.js';
import { checkChoice, checkNumber } from '../params/check.js';

export interface GaussianFilterOptions {
  /** Kernel radius in standard deviations (default 4, scipy's). */
  truncate?: number;
  /** Edge handling, as scipy.ndimage: 'reflect' (default), 'constant' (zeros), 'nearest'. */
  mode?: 'reflect' | 'constant' | 'nearest';
}

/**
 * 1-D Gaussian smoothing like `scipy.ndimage.gaussian_filter1d(x, sigma, truncate=…, mode=…)`,
 * sigma in samples.
 *
 * @example
 * const smooth = gaussianFilter1d(power, 0.004 * fs, { truncate: 8, mode: 'constant' });
 */
export function gaussianFilter1d(
  x: ArrayLike<number>,
  sigma: number,
  options: GaussianFilterOptions = {},
): Float64Array {
  checkNumber('sigma', sigma, { min: 0 });
  const truncate = checkNumber('truncate', options.truncate ?? 4, { min: 0 });
  const mode = checkChoice('mode', options.mode ?? 'reflect', ['reflect', 'constant', 'nearest'] as const);
  const n = x.length;
  const out = new Float64Array(n);
  if (sigma === 0) {
    for (let i = 0; i < n; i++) out[i] = x[i];
    return out;
  }
  const radius = Math.floor(truncate * sigma + 0.5);
  const w = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += w[k + radius] = exp((-0.5 * k * k) / (sigma * sigma));
  for (let k = 0; k < w.length; k++) w[k] /= sum;
  const at = (i: number): number => {
    if (i >= 0 && i < n) return x[i];
    if (mode === 'constant') return 0;
    if (mode === 'nearest') return x[i < 0 ? 0 : n - 1];
    // reflect about the edge (d c b a | a b c d | d c b a), repeated for kernels longer than n
    const period = 2 * n;
    let j = ((i % period) + period) % period;
    if (j >= n) j = period - 1 - j;
    return x[j];
  };
  for (let i = 0; i < n; i++) {
    let s = 0;
    if (i >= radius && i + radius < n) for (let k = -radius; k <= radius; k++) s += w[k + radius] * x[i + k];
    else for (let k = -radius; k <= radius; k++) s += w[k + radius] * at(i + k);
    out[i] = s;
  }
  return out;
}
