import { checkNumber, checkOptionNames, ParameterError, type Matrix, exp, log, sin } from '@spyglass-wasm/core';
import { pointsMatrix } from '../features/points.js';
import { nearestRows } from './nearest.js';

/**
 * Cluster-quality metrics in feature (PC) space, as SpikeInterface: isolation distance and L-ratio
 * (Schmitzer-Torbert et al. 2005) from Mahalanobis distances to the unit's cluster, and the
 * nearest-neighbour hit and miss rates (Chung et al. 2017). `features` is spikes × components,
 * `labels` a unit per spike.
 *
 * @example
 * const { isolationDistance, lRatio } = isolationMetrics(projectPca(pca, waveforms), labels, 0);
 */
export function isolationMetrics(
  featureMatrix: Matrix<Float32Array>,
  labels: Int32Array,
  unit: number,
): { isolationDistance: number; lRatio: number } {
  const { data: features, cols: k } = labelledPoints(featureMatrix, labels);
  const own: number[] = [],
    other: number[] = [];
  labels.forEach((l, i) => (l === unit ? own : other).push(i));
  const n = own.length;
  if (n <= k || other.length === 0) return { isolationDistance: NaN, lRatio: NaN };
  const mean = new Float64Array(k);
  for (const i of own) for (let j = 0; j < k; j++) mean[j] += features[i * k + j] / n;
  const cov = new Float64Array(k * k);
  for (const i of own)
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++)
        cov[a * k + b] += ((features[i * k + a] - mean[a]) * (features[i * k + b] - mean[b])) / (n - 1);
  const inv = invert(cov, k);
  if (!inv) return { isolationDistance: NaN, lRatio: NaN };
  const d2 = other.map((i) => {
    let s = 0;
    for (let a = 0; a < k; a++) {
      let t = 0;
      for (let b = 0; b < k; b++) t += inv[a * k + b] * (features[i * k + b] - mean[b]);
      s += (features[i * k + a] - mean[a]) * t;
    }
    return s;
  });
  const sorted = [...d2].sort((a, b) => a - b);
  const isolationDistance = other.length >= n ? sorted[n - 1] : NaN;
  const lRatio = d2.reduce((acc, d) => acc + (1 - chi2Cdf(d, k)), 0) / n;
  return { isolationDistance, lRatio };
}

export interface NearestNeighbourOptions {
  /** Neighbours of each spike that are looked at (default 4). */
  neighbours?: number;
  /** Spikes of the unit and of the others used at most, evenly spaced (default 1000). */
  maxSpikes?: number;
}

/**
 * Nearest-neighbour hit rate (own spikes' neighbours in the unit) and miss rate (others'
 * neighbours in the unit), in feature space (`features` spikes × components).
 *
 * @example
 * const { hitRate, missRate } = nearestNeighbourRates(features, labels, 0, { neighbours: 4 });
 */
export function nearestNeighbourRates(
  featureMatrix: Matrix<Float32Array>,
  labels: Int32Array,
  unit: number,
  options: NearestNeighbourOptions = {},
): { hitRate: number; missRate: number } {
  checkOptionNames('nearestNeighbourRates', options, ['neighbours', 'maxSpikes']);
  const neighbours = checkNumber('neighbours', options.neighbours ?? 4, { min: 1, integer: true });
  const maxSpikes = checkNumber('maxSpikes', options.maxSpikes ?? 1000, { min: 1, integer: true });
  const { data: features, cols: k } = labelledPoints(featureMatrix, labels);
  const own: number[] = [],
    other: number[] = [];
  labels.forEach((l, i) => (l === unit ? own : other).push(i));
  if (own.length <= neighbours || other.length === 0) return { hitRate: NaN, missRate: NaN };
  const step = (list: number[]) => list.filter((_, j) => j % Math.max(1, Math.ceil(list.length / maxSpikes)) === 0);
  const a = step(own),
    b = step(other);
  const pool = [...a, ...b];
  const isOwn = new Set(a);
  const ownNeighbours = (i: number) => nearestRows(features, k, i, pool, neighbours).filter((j) => isOwn.has(j)).length;
  let hits = 0,
    misses = 0;
  for (const i of a) hits += ownNeighbours(i);
  for (const i of b) misses += ownNeighbours(i);
  return { hitRate: hits / (a.length * neighbours), missRate: misses / (b.length * neighbours) };
}

/** Features checked to have one row per label. */
function labelledPoints(features: Matrix<Float32Array>, labels: Int32Array): Matrix<Float32Array> {
  const m = pointsMatrix(features, 'features');
  if (labels.length !== m.rows)
    throw new ParameterError('labels', `${m.rows} labels (one per row of features)`, labels);
  return m;
}

function invert(m: Float64Array, k: number): Float64Array | undefined {
  const a = Float64Array.from(m),
    inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) inv[i * k + i] = 1;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r * k + c]) > Math.abs(a[p * k + c])) p = r;
    if (Math.abs(a[p * k + c]) < 1e-12) return undefined;
    for (let j = 0; j < k; j++) {
      [a[c * k + j], a[p * k + j]] = [a[p * k + j], a[c * k + j]];
      [inv[c * k + j], inv[p * k + j]] = [inv[p * k + j], inv[c * k + j]];
    }
    const piv = a[c * k + c];
    for (let j = 0; j < k; j++) {
      a[c * k + j] /= piv;
      inv[c * k + j] /= piv;
    }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r * k + c];
      for (let j = 0; j < k; j++) {
        a[r * k + j] -= f * a[c * k + j];
        inv[r * k + j] -= f * inv[c * k + j];
      }
    }
  }
  return inv;
}

/** CDF of the chi-squared distribution with `dof` degrees of freedom (regularised lower gamma). */
export function chi2Cdf(x: number, dof: number): number {
  if (x <= 0) return 0;
  return lowerGammaRegularized(dof / 2, x / 2);
}

function lowerGammaRegularized(s: number, x: number): number {
  const lg = logGamma(s);
  if (x < s + 1) {
    let sum = 1 / s,
      term = 1 / s;
    for (let n = 1; n < 500; n++) {
      term *= x / (s + n);
      sum += term;
      if (term < sum * 1e-15) break;
    }
    return sum * exp(-x + s * log(x) - lg);
  }
  // Continued fraction for the upper tail (Lentz).
  let b = x + 1 - s,
    c = 1e300,
    d = 1 / b,
    h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return 1 - exp(-x + s * log(x) - lg) * h;
}

function logGamma(z: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return log(Math.PI / sin(Math.PI * z)) - logGamma(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < g + 2; i++) x += c[i] / (z + i);
  const t = z + g + 0.5;
  return 0.5 * log(2 * Math.PI) + (z + 0.5) * log(t) - t + log(x);
}
