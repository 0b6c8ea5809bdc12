import { ParameterError, checkNumber, checkOptionNames, toMatrix, type Matrix, exp } from '@spyglass-wasm/core';
import type { Environment } from '../environment/environment.js';

/** How position moves within or between discrete states. */
export type ContinuousTransition =
  | { kind: 'randomWalk'; /** cm² per time step (default 6). */ movementVar?: number }
  | { kind: 'uniform' }
  | { kind: 'identity' };

/** Discrete states and their movement models; defaults to continuous only. */
export interface StateSpaceOptions {
  stateNames?: string[];
  /** continuous[from][to]. */
  continuous?: ContinuousTransition[][];
  /**
   * States × states (row: from, column: to), rows summing to 1 (default: 0.98 on the diagonal,
   * the rest spread evenly).
   */
  discrete?: Matrix<Float64Array>;
  /** Initial probability of each discrete state (default equal). */
  initialDiscrete?: number[];
  /** Random-walk kernel cut at this many standard deviations (default 5; mass beyond is < 6e-7). */
  truncateSd?: number;
}

/**
 * A state space of nStates × nBins (state-major) with transition T = S + Σ_l w_l u_lᵀ: S sparse
 * (random walks, identity), the rank-one terms uniform moves. Both CSR orientations are kept.
 */
export interface Transition {
  n: number;
  nStates: number;
  nBins: number;
  stateNames: string[];
  /** State-space bin → likelihood column (its position bin). */
  likIndex: Int32Array;
  /** CSR of Sᵀ: for destination j, entries (source i, S[i, j]). */
  toPtr: Int32Array;
  toIdx: Int32Array;
  toW: Float64Array;
  /** CSR of S: for source i, entries (destination j, S[i, j]). */
  fromPtr: Int32Array;
  fromIdx: Int32Array;
  fromW: Float64Array;
  nLow: number;
  /** nLow × n each. */
  lowU: Float64Array;
  lowW: Float64Array;
  init: Float64Array;
  /** Set when S is one random walk on a 2-D grid: the kernels then apply it as two 1-D passes. */
  walk?: GridWalk;
}

/**
 * A 2-D Gaussian random walk S[i, j] = scale[i] · k[Δx] · k[Δy] · mask[j] (Δ in bins, |Δ| ≤ radius):
 * separable, so T^T v is a convolution along y then along x, O(N · radius) instead of O(N · radius²).
 */
export interface GridWalk {
  nx: number;
  ny: number;
  radius: number;
  /** exp(−(Δ · binSize)² / 2v) for Δ = −radius … radius (square bins: the same along x and y). */
  k: Float64Array;
  /** Per position bin: p / Z_i on interior sources (Z_i the row's sum before normalising), else 0. */
  scale: Float64Array;
  /** 1 on interior bins, else 0. */
  mask: Float64Array;
  /** First state-space index of the source and destination discrete states. */
  fromOffset: number;
  toOffset: number;
}

/**
 * The presets of replay_trajectory_classification: 'continuous' and 'continuous-fragmented', with
 * the random walk's `movementVar` (cm², default 6) and the discrete transition's `diagonal`
 * (the chance of staying in a state per bin, default 0.98).
 *
 * @example
 * const tr = buildTransition(env, stateSpacePreset('continuous-fragmented', { movementVar: 10 }));
 */
export function stateSpacePreset(
  name: 'continuous' | 'continuous-fragmented',
  options: { movementVar?: number; diagonal?: number } = {},
): StateSpaceOptions {
  checkOptionNames('stateSpacePreset', options, ['movementVar', 'diagonal']);
  const movementVar = checkNumber('movementVar', options.movementVar ?? 6, { min: 0 });
  const diagonal = checkNumber('diagonal', options.diagonal ?? 0.98, { min: 0, max: 1 });
  if (name === 'continuous')
    return { stateNames: ['continuous'], continuous: [[{ kind: 'randomWalk', movementVar }]], discrete: square([1]) };
  return {
    stateNames: ['continuous', 'fragmented'],
    continuous: [
      [{ kind: 'randomWalk', movementVar }, { kind: 'uniform' }],
      [{ kind: 'uniform' }, { kind: 'uniform' }],
    ],
    discrete: square([diagonal, 1 - diagonal, 1 - diagonal, diagonal]),
  };
}

/**
 * Builds the transition of a discrete × continuous state space on `env`. Random walks are Gaussian
 * in the distance between bin centres, restricted to interior bins and renormalised per row, and
 * cut at `truncateSd` standard deviations so they stay a narrow band.
 *
 * @example
 * const tr = buildTransition(env, stateSpacePreset('continuous-fragmented'));
 */
export function buildTransition(env: Environment, options: StateSpaceOptions = {}): Transition {
  checkOptionNames('buildTransition', options, [
    'stateNames',
    'continuous',
    'discrete',
    'initialDiscrete',
    'truncateSd',
  ]);
  const continuous = options.continuous ?? [[{ kind: 'randomWalk' }]];
  const nStates = continuous.length;
  if (continuous.some((r) => r.length !== nStates))
    throw new ParameterError('continuous', `${nStates} × ${nStates} movement models`, `${continuous.length} rows`);
  const discrete = toMatrix(options.discrete ?? defaultDiscrete(nStates), 'discrete');
  if (discrete.rows !== nStates || discrete.cols !== nStates)
    throw new ParameterError('discrete', `a ${nStates} × ${nStates} matrix`, `${discrete.rows} × ${discrete.cols}`);
  for (let r = 0; r < nStates; r++) {
    const row = discrete.data.subarray(r * nStates, (r + 1) * nStates);
    const s = row.reduce((a, b) => a + b, 0);
    if (Math.abs(s - 1) > 1e-9 || row.some((v) => v < 0))
      throw new ParameterError('discrete', 'rows of probabilities summing to 1', row.join(','));
  }
  const nb = env.nBins,
    n = nStates * nb;
  const interior: number[] = [];
  for (let b = 0; b < nb; b++) if (env.isInterior[b]) interior.push(b);
  const entries: [number, number, number][] = [];
  const walks: { s: number; s2: number; p: number; v: number }[] = [];
  let identity = false;
  const lowU: Float64Array[] = [],
    lowW: Float64Array[] = [];
  for (let s = 0; s < nStates; s++)
    for (let s2 = 0; s2 < nStates; s2++) {
      const p = discrete.data[s * nStates + s2];
      if (p === 0) continue;
      const c = continuous[s][s2];
      if (c.kind === 'uniform') {
        const u = new Float64Array(n),
          w = new Float64Array(n);
        for (const b of interior) {
          u[s2 * nb + b] = 1 / interior.length;
          w[s * nb + b] = p;
        }
        lowU.push(u);
        lowW.push(w);
      } else if (c.kind === 'identity') {
        identity = true;
        for (const b of interior) entries.push([s * nb + b, s2 * nb + b, p]);
      } else {
        const v = checkNumber('movementVar', c.movementVar ?? 6, { min: 1e-9 });
        walks.push({ s, s2, p, v });
        for (const [i, j, w] of randomWalk(env, interior, v, options.truncateSd ?? 5))
          entries.push([s * nb + i, s2 * nb + j, p * w]);
      }
    }
  const init = new Float64Array(n);
  const init0 = options.initialDiscrete ?? new Array(nStates).fill(1 / nStates);
  for (let s = 0; s < nStates; s++) for (const b of interior) init[s * nb + b] = init0[s] / interior.length;
  const likIndex = Int32Array.from({ length: n }, (_, i) => i % nb);
  return {
    n,
    nStates,
    nBins: nb,
    stateNames: options.stateNames ?? continuous.map((_, i) => `state${i}`),
    likIndex,
    ...sparseBoth(n, entries),
    nLow: lowU.length,
    lowU: flat(lowU, n),
    lowW: flat(lowW, n),
    init,
    walk:
      env.dims === 2 && walks.length === 1 && !identity ? gridWalk(env, walks[0], options.truncateSd ?? 5) : undefined,
  };
}

/** The separable form of a 2-D random walk block (same weights as randomWalk's entries). */
function gridWalk(env: Environment, w: { s: number; s2: number; p: number; v: number }, cut: number): GridWalk {
  const [nx, ny] = env.shape;
  const { radius, k } = walkWeights(env, w.v, cut);
  const mask = Float64Array.from(env.isInterior);
  // Z_i = Σ_j mask_j · k[Δx] · k[Δy]: the same box sum as randomWalk's, by two 1-D passes.
  const along = new Float64Array(nx * ny);
  for (let ix = 0; ix < nx; ix++)
    for (let iy = 0; iy < ny; iy++) {
      let z = 0;
      for (let d = -radius; d <= radius; d++)
        if (iy + d >= 0 && iy + d < ny) z += k[d + radius] * mask[ix * ny + iy + d];
      along[ix * ny + iy] = z;
    }
  const scale = new Float64Array(nx * ny);
  for (let ix = 0; ix < nx; ix++)
    for (let iy = 0; iy < ny; iy++) {
      let z = 0;
      for (let d = -radius; d <= radius; d++)
        if (ix + d >= 0 && ix + d < nx) z += k[d + radius] * along[(ix + d) * ny + iy];
      const i = ix * ny + iy;
      scale[i] = mask[i] && z > 0 ? w.p / z : 0;
    }
  return { nx, ny, radius, k, scale, mask, fromOffset: w.s * env.nBins, toOffset: w.s2 * env.nBins };
}

/** Reach in bins and 1-D Gaussian weights exp(−(Δ · binSize)² / 2v), Δ = −radius … radius. */
function walkWeights(env: Environment, variance: number, cut: number): { radius: number; k: Float64Array } {
  const radius = Math.floor(Math.sqrt(cut * cut * variance) / env.binSize);
  const k = Float64Array.from({ length: 2 * radius + 1 }, (_, i) =>
    exp(-(((i - radius) * env.binSize) ** 2) / (2 * variance)),
  );
  return { radius, k };
}

/**
 * A transition from a dense row-stochastic matrix (n × n; for small hand-made models and tests)
 * and the initial distribution (n values).
 *
 * @example
 * const tr = transitionFromDense({ data: Float64Array.of(0.9, 0.1, 0.2, 0.8), rows: 2, cols: 2 }, [0.5, 0.5]);
 */
export function transitionFromDense(T: Matrix<Float64Array>, init: ArrayLike<number>): Transition {
  const n = T?.rows;
  if (!T || !(T.data instanceof Float64Array) || T.cols !== n || !(T.data.length >= n * n))
    throw new ParameterError('T', 'a square {data: Float64Array, rows: n, cols: n} matrix', T);
  if (init?.length !== n) throw new ParameterError('init', `${n} initial probabilities`, init);
  const entries: [number, number, number][] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const w = T.data[i * n + j];
      if (w !== 0) entries.push([i, j, w]);
    }
  return {
    n,
    nStates: 1,
    nBins: n,
    stateNames: ['state0'],
    likIndex: Int32Array.from({ length: n }, (_, i) => i),
    ...sparseBoth(n, entries),
    nLow: 0,
    lowU: new Float64Array(0),
    lowW: new Float64Array(0),
    init: Float64Array.from(init),
  };
}

/** The full n × n matrix, row-major (reference path and tests): the inverse of transitionFromDense. */
export function denseTransition(tr: Transition): Matrix<Float64Array> {
  const n = tr.n,
    T = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = tr.fromPtr[i]; k < tr.fromPtr[i + 1]; k++) T[i * n + tr.fromIdx[k]] += tr.fromW[k];
  for (let l = 0; l < tr.nLow; l++)
    for (let i = 0; i < n; i++) {
      const w = tr.lowW[l * n + i];
      if (w !== 0) for (let j = 0; j < n; j++) T[i * n + j] += w * tr.lowU[l * n + j];
    }
  return { data: T, rows: n, cols: n };
}

/**
 * Rows of the random walk: Gaussian in the distance between bin centres, over interior bins,
 * normalised per row. 1-D: cut at `cut` standard deviations. 2-D: cut to the square of that
 * half-width (the corners beyond the circle hold < 6e-7 of the mass at cut 5), with weights
 * k[Δx] · k[Δy], so the kernels may apply it as two 1-D passes (GridWalk) with the same numbers.
 */
function* randomWalk(
  env: Environment,
  interior: number[],
  variance: number,
  cut: number,
): Generator<[number, number, number]> {
  const c = env.centers.data,
    d = env.dims;
  const maxD2 = cut * cut * variance;
  // Only grid neighbours within the cut can be reached: scan that box, not every bin.
  const { radius: r, k } = walkWeights(env, variance, cut);
  const [nx, ny] = d === 1 ? [env.shape[0], 1] : env.shape;
  const row: [number, number][] = [];
  for (const i of interior) {
    row.length = 0;
    let sum = 0;
    const ix = Math.floor(i / ny),
      iy = i % ny;
    for (let jx = Math.max(0, ix - r); jx <= Math.min(nx - 1, ix + r); jx++) {
      for (let jy = Math.max(0, iy - r); jy <= Math.min(ny - 1, iy + r); jy++) {
        const j = jx * ny + jy;
        if (!env.isInterior[j]) continue;
        let w: number;
        if (d === 2) w = k[jx - ix + r] * k[jy - iy + r];
        else {
          const x = c[i] - c[j];
          if (x * x > maxD2) continue;
          w = exp(-(x * x) / (2 * variance));
        }
        row.push([j, w]);
        sum += w;
      }
    }
    for (const [j, w] of row) yield [i, j, w / sum];
  }
}

function defaultDiscrete(n: number): Matrix<Float64Array> {
  return square(Array.from({ length: n * n }, (_, k) => (n === 1 ? 1 : k % (n + 1) === 0 ? 0.98 : 0.02 / (n - 1))));
}

/** A square matrix from its values, row by row. */
function square(values: readonly number[]): Matrix<Float64Array> {
  const n = Math.round(Math.sqrt(values.length));
  return { data: Float64Array.from(values), rows: n, cols: n };
}

/** The sparse part of a transition (entries [from, to, weight]) by row of `to` and by row of `from`. */
function sparseBoth(n: number, entries: [number, number, number][]) {
  const to = csr(
    n,
    entries.map(([i, j, w]) => [j, i, w]),
  );
  const from = csr(n, entries);
  return { toPtr: to.ptr, toIdx: to.idx, toW: to.w, fromPtr: from.ptr, fromIdx: from.idx, fromW: from.w };
}

function csr(n: number, entries: [number, number, number][]) {
  const ptr = new Int32Array(n + 1);
  for (const [r] of entries) ptr[r + 1]++;
  for (let i = 0; i < n; i++) ptr[i + 1] += ptr[i];
  const fill = ptr.slice(0, n);
  const idx = new Int32Array(entries.length),
    w = new Float64Array(entries.length);
  for (const [r, c, v] of entries) {
    const k = fill[r]++;
    idx[k] = c;
    w[k] = v;
  }
  // Columns ascending within each row: the kernel takes consecutive columns as a SIMD band.
  for (let r = 0; r < n; r++) {
    let sorted = true;
    for (let k = ptr[r] + 1; k < ptr[r + 1]; k++)
      if (idx[k] < idx[k - 1]) {
        sorted = false;
        break;
      }
    if (sorted) continue;
    const order = Array.from({ length: ptr[r + 1] - ptr[r] }, (_, k) => ptr[r] + k).sort((a, b) => idx[a] - idx[b]);
    const ci = order.map((k) => idx[k]),
      cw = order.map((k) => w[k]);
    idx.set(ci, ptr[r]);
    w.set(cw, ptr[r]);
  }
  return { ptr, idx, w };
}

function flat(rows: Float64Array[], n: number): Float64Array {
  const out = new Float64Array(rows.length * n);
  rows.forEach((r, i) => out.set(r, i * n));
  return out;
}
