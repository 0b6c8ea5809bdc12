// Spike-train statistics for the Units view: ISI histograms and correlograms, on spike times in
// seconds (sorted ascending, as NWB stores them). Pure functions, tested against brute force.

/** A histogram: `counts[i]` spikes (or pairs) fell in [edges[i], edges[i + 1]). Edges in ms. */
export interface Histogram {
  edges: Float64Array;
  counts: Float64Array;
}

export interface IsiOptions {
  /** Bin width in ms (default 1). */
  binMs?: number;
  /** Largest interval shown, ms (default 100). */
  maxMs?: number;
}

/**
 * Histogram of inter-spike intervals up to `maxMs`.
 *
 * @example
 * const { edges, counts } = isiHistogram(unit.spikeTimes, { binMs: 1, maxMs: 100 });
 */
export function isiHistogram(times: ArrayLike<number>, options: IsiOptions = {}): Histogram {
  const binMs = options.binMs ?? 1;
  const maxMs = options.maxMs ?? 100;
  const nbins = Math.max(1, Math.round(maxMs / binMs));
  const counts = new Float64Array(nbins);
  for (let i = 1; i < times.length; i++) {
    const bin = Math.floor(((times[i] - times[i - 1]) * 1000) / binMs);
    if (bin >= 0 && bin < nbins) counts[bin]++;
  }
  return { edges: binEdges(0, binMs, nbins), counts };
}

/**
 * Fraction of inter-spike intervals shorter than `refractoryMs` (default 1.5 ms): a unit with
 * many such intervals is likely more than one neuron.
 */
export function refractoryViolations(
  times: ArrayLike<number>,
  refractoryMs = 1.5,
): { count: number; fraction: number } {
  let count = 0;
  for (let i = 1; i < times.length; i++) if ((times[i] - times[i - 1]) * 1000 < refractoryMs) count++;
  return { count, fraction: times.length > 1 ? count / (times.length - 1) : 0 };
}

export interface CorrelogramOptions {
  /** Bin width in ms (default 1). */
  binMs?: number;
  /** Half-width of the lag window, ms (default 50): lags in [-windowMs, windowMs). */
  windowMs?: number;
}

/**
 * Cross-correlogram: counts of lags `b_j - a_i` (ms) within ±windowMs, both trains sorted. Passing
 * the same array twice gives the autocorrelogram, without each spike's zero lag with itself.
 *
 * @example
 * const acg = correlogram(times, times, { binMs: 1, windowMs: 50 });
 * const ccg = correlogram(unitA, unitB);
 */
export function correlogram(a: ArrayLike<number>, b: ArrayLike<number>, options: CorrelogramOptions = {}): Histogram {
  const binMs = options.binMs ?? 1;
  const windowMs = options.windowMs ?? 50;
  const half = Math.max(1, Math.round(windowMs / binMs));
  const counts = new Float64Array(2 * half);
  const w = (half * binMs) / 1000;
  const auto = a === b;
  let lo = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i];
    while (lo < b.length && b[lo] < t - w) lo++;
    for (let j = lo; j < b.length && b[j] < t + w; j++) {
      if (auto && j === i) continue;
      const bin = Math.floor(((b[j] - t) * 1000) / binMs) + half;
      if (bin >= 0 && bin < counts.length) counts[bin]++;
    }
  }
  return { edges: binEdges(-half * binMs, binMs, 2 * half), counts };
}

/** Mean firing rate (Hz) over [start, end] seconds (default the span of the spikes). */
export function firingRate(times: ArrayLike<number>, span?: readonly [number, number]): number {
  if (times.length === 0) return 0;
  const [start, end] = span ?? [times[0], times[times.length - 1]];
  return end > start ? times.length / (end - start) : 0;
}

function binEdges(start: number, width: number, n: number): Float64Array {
  return Float64Array.from({ length: n + 1 }, (_, i) => start + i * width);
}
