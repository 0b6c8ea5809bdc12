import { ParameterError, checkNumber, toMatrix, type Matrix } from '@spyglass-wasm/core';

/** Position bins of a 1-D track (linear position) or a 2-D arena, with the bins the animal visits. */
export interface Environment {
  dims: 1 | 2;
  binSize: number;
  /** Bin edges per dimension (cm). */
  edges: Float64Array[];
  /** Bins per dimension; bin index = ix * shape[1] + iy in 2-D. */
  shape: number[];
  nBins: number;
  /** Bin centres, nBins × dims (cm). */
  centers: Matrix<Float64Array>;
  /** 1 where the animal was seen (the track interior); decoding only puts probability there. */
  isInterior: Uint8Array;
}

export interface EnvironmentOptions {
  /** Bin width in cm (default 2). */
  binSize?: number;
  /** [min, max] per dimension; default the range of the positions. */
  range?: [number, number][];
  /** Mark every bin as interior instead of only those with occupancy (default false). */
  allInterior?: boolean;
}

/**
 * Bins a 1-D or 2-D environment from the positions the animal occupied (cm), like
 * replay_trajectory_classification's Environment: edges span the positions in steps of `binSize`,
 * and the interior is the set of bins with any occupancy (gaps of one bin are filled).
 *
 * @example
 * const env = makeEnvironment(Float64Array.of(0, 10, 200), { binSize: 2 }); // 100 bins over 0–200 cm
 */
export function makeEnvironment(
  positions: Matrix<Float64Array> | Float64Array,
  options: EnvironmentOptions = {},
): Environment {
  const pos = toMatrix(positions as Float64Array, 'positions') as Matrix<Float64Array>;
  const binSize = checkNumber('binSize', options.binSize ?? 2, { min: 1e-6 });
  if (pos.cols !== 1 && pos.cols !== 2)
    throw new ParameterError('positions', '1 or 2 columns (cm)', `${pos.cols} columns`);
  const dims = pos.cols as 1 | 2;
  const edges: Float64Array[] = [];
  const shape: number[] = [];
  for (let d = 0; d < dims; d++) {
    let lo = Infinity,
      hi = -Infinity;
    if (options.range) [lo, hi] = options.range[d];
    else
      for (let i = 0; i < pos.rows; i++) {
        const v = pos.data[i * dims + d];
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    if (!(hi > lo)) throw new ParameterError('positions', 'finite positions spanning a range', `[${lo}, ${hi}]`);
    const n = Math.max(1, Math.ceil((hi - lo) / binSize - 1e-9));
    const mid = (lo + hi) / 2,
      start = mid - (n * binSize) / 2;
    edges.push(Float64Array.from({ length: n + 1 }, (_, i) => start + i * binSize));
    shape.push(n);
  }
  const nBins = shape.reduce((a, b) => a * b, 1);
  const centers = new Float64Array(nBins * dims);
  for (let b = 0; b < nBins; b++) {
    const idx = dims === 1 ? [b] : [Math.floor(b / shape[1]), b % shape[1]];
    for (let d = 0; d < dims; d++) centers[b * dims + d] = edges[d][idx[d]] + binSize / 2;
  }
  const env: Environment = {
    dims,
    binSize,
    edges,
    shape,
    nBins,
    centers: { data: centers, rows: nBins, cols: dims },
    isInterior: new Uint8Array(nBins),
  };
  if (options.allInterior) env.isInterior.fill(1);
  else {
    for (let i = 0; i < pos.rows; i++) {
      const b = binIndex(env, pos, i);
      if (b >= 0) env.isInterior[b] = 1;
    }
    fillSingleGaps(env);
  }
  return env;
}

/**
 * The bin holding row `row` of a (rows × dims) position matrix, or -1 outside / NaN.
 *
 * @example
 * binIndex(env, { data: Float64Array.of(12.5, 40), rows: 1, cols: 2 }, 0); // the bin of (12.5, 40)
 */
export function binIndex(env: Environment, position: Matrix<Float64Array>, row: number): number {
  if (position.cols !== env.dims)
    throw new ParameterError('position', `${env.dims} columns (the environment's dimensions)`, position.cols);
  const { data } = position;
  let b = 0;
  for (let d = 0; d < env.dims; d++) {
    const e = env.edges[d];
    const v = data[row * env.dims + d];
    if (!(v >= e[0] && v <= e[e.length - 1])) return -1;
    const i = Math.min(env.shape[d] - 1, Math.floor((v - e[0]) / env.binSize));
    b = b * env.shape[d] + i;
  }
  return b;
}

function fillSingleGaps(env: Environment): void {
  const inside = env.isInterior.slice();
  if (env.dims === 1) {
    for (let b = 1; b + 1 < env.nBins; b++) if (!inside[b] && inside[b - 1] && inside[b + 1]) env.isInterior[b] = 1;
    return;
  }
  const [nx, ny] = env.shape;
  for (let x = 0; x < nx; x++)
    for (let y = 0; y < ny; y++) {
      const b = x * ny + y;
      if (inside[b]) continue;
      const n =
        (x > 0 && inside[b - ny] ? 1 : 0) +
        (x + 1 < nx && inside[b + ny] ? 1 : 0) +
        (y > 0 && inside[b - 1] ? 1 : 0) +
        (y + 1 < ny && inside[b + 1] ? 1 : 0);
      if (n >= 3) env.isInterior[b] = 1;
    }
}
