import { ParameterError, checkNumber, createRng, type Matrix } from '@spyglass-wasm/core';

/** How well one event's posterior moves along the track, and where it starts and ends. */
export interface ReplayScore {
  /** Posterior-weighted correlation of time bin with position (-1..1): the replay score. */
  weightedCorrelation: number;
  /** Fraction of shuffles scoring at least |weightedCorrelation| (with the +1 correction). */
  pValue: number;
  /**
   * Weighted least-squares line through the posterior: position at the first and last bin (cm), and its slope (cm/s).
   */
  startPosition: number;
  endPosition: number;
  slope: number;
  /** 'forward' when the line moves to larger positions, else 'reverse'. */
  direction: 'forward' | 'reverse';
}

export interface ReplayScoreOptions {
  /** Position-bin shuffles for the p-value (default 500). */
  shuffles?: number;
  seed?: number;
  /** Time bin width (s), for the slope in cm/s (default 1: slope per bin). */
  binSize?: number;
}

/** Weighted correlation of bin index with position under weights P (rows: time bins, cols: position bins). */
function weightedStats(p: Float64Array, rows: number, cols: number, centers: ArrayLike<number>, shift?: Int32Array) {
  let w = 0,
    mt = 0,
    mx = 0;
  for (let t = 0; t < rows; t++) {
    const s = shift ? shift[t] : 0;
    for (let b = 0; b < cols; b++) {
      const v = p[t * cols + ((b + s) % cols)];
      w += v;
      mt += v * t;
      mx += v * centers[b];
    }
  }
  mt /= w;
  mx /= w;
  let ctx = 0,
    ctt = 0,
    cxx = 0;
  for (let t = 0; t < rows; t++) {
    const s = shift ? shift[t] : 0;
    for (let b = 0; b < cols; b++) {
      const v = p[t * cols + ((b + s) % cols)];
      const dt = t - mt,
        dx = centers[b] - mx;
      ctx += v * dt * dx;
      ctt += v * dt * dt;
      cxx += v * dx * dx;
    }
  }
  return { r: ctt > 0 && cxx > 0 ? ctx / Math.sqrt(ctt * cxx) : 0, slopePerBin: ctt > 0 ? ctx / ctt : 0, mt, mx };
}

/**
 * Scores one candidate event's decoded posterior (time bins × position bins of a 1-D track) as a
 * replay: the posterior-weighted correlation between time and position, its significance against
 * shuffles that rotate each time bin's posterior by a random number of position bins (destroying
 * the sequence, keeping each bin's spread), and the weighted line's start, end and direction.
 *
 * @example
 * const s = replayScore(result.positionPosterior, result.env.centers.data, { binSize: 0.002 });
 * s.weightedCorrelation; s.pValue; s.startPosition; s.endPosition; s.direction;
 */
export function replayScore(
  posterior: Matrix<Float64Array>,
  centers: ArrayLike<number>,
  options: ReplayScoreOptions = {},
): ReplayScore {
  const { data, rows, cols } = posterior;
  if (centers.length !== cols)
    throw new ParameterError('centers', `one position per posterior column (${cols})`, centers.length);
  if (rows < 3) throw new ParameterError('posterior', 'at least 3 time bins', rows);
  const shuffles = checkNumber('shuffles', options.shuffles ?? 500, { min: 1, max: 1e6, integer: true });
  const binSize = checkNumber('binSize', options.binSize ?? 1, { min: 0, exclusiveMin: true });
  const observed = weightedStats(data, rows, cols, centers);
  const rng = createRng(options.seed ?? 1);
  const shift = new Int32Array(rows);
  let atLeast = 0;
  for (let k = 0; k < shuffles; k++) {
    for (let t = 0; t < rows; t++) shift[t] = rng.int(cols);
    if (Math.abs(weightedStats(data, rows, cols, centers, shift).r) >= Math.abs(observed.r)) atLeast++;
  }
  const startPosition = observed.mx + observed.slopePerBin * (0 - observed.mt);
  const endPosition = observed.mx + observed.slopePerBin * (rows - 1 - observed.mt);
  return {
    weightedCorrelation: observed.r,
    pValue: (atLeast + 1) / (shuffles + 1),
    startPosition,
    endPosition,
    slope: observed.slopePerBin / binSize,
    direction: endPosition >= startPosition ? 'forward' : 'reverse',
  };
}
