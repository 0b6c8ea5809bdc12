import type { Matrix } from '@spyglass-wasm/core';
import type { Environment } from '../environment/environment.js';
import type { Transition } from '../state-space/transition.js';

/** A posterior reduced to what analyses use. */
export interface PosteriorSummary<P extends Float64Array | Float32Array = Float64Array> {
  /** nTime × nBins: probability of each position (summed over discrete states). */
  positionPosterior: Matrix<P>;
  /** nTime × nStates. */
  statePosterior: Matrix<Float64Array>;
  /** nTime × dims: centre of the most probable bin. */
  map: Matrix<Float64Array>;
  /** nTime × dims: posterior mean position. */
  mean: Matrix<Float64Array>;
}

/** Marginals, MAP and posterior-mean position of a (nTime × nStates·nBins) posterior. */
export function summarizePosterior(
  posterior: Matrix<Float64Array>,
  tr: Transition,
  env: Environment,
): PosteriorSummary {
  const nTime = posterior.rows;
  // One discrete state: the position posterior is the posterior itself (no 100 MB copy).
  const out = summaryArrays(nTime, tr, env, tr.nStates === 1 ? posterior.data : new Float64Array(nTime * tr.nBins));
  summarizeRows(posterior.data, 0, tr, env, out, out.positionPosterior.data);
  return out;
}

/** Empty summary arrays of nTime rows, the position posterior in `pos` (nTime × nBins). */
export function summaryArrays<P extends Float64Array | Float32Array>(
  nTime: number,
  tr: Transition,
  env: Environment,
  pos: P,
): PosteriorSummary<P> {
  const d = env.dims,
    ns = tr.nStates;
  return {
    positionPosterior: { data: pos, rows: nTime, cols: tr.nBins },
    statePosterior: { data: new Float64Array(nTime * ns), rows: nTime, cols: ns },
    map: { data: new Float64Array(nTime * d), rows: nTime, cols: d },
    mean: { data: new Float64Array(nTime * d), rows: nTime, cols: d },
  };
}

/**
 * Summarises posterior rows first … first + rows.length / n into `out`; the position marginal is
 * computed in float64 in `scratch` (nBins; or `out`'s own rows when it is that posterior) and
 * stored in `out.positionPosterior` (rounded when float32). Rows are independent: chunks give
 * the whole posterior's summary bit for bit.
 */
export function summarizeRows(
  rows: Float64Array,
  first: number,
  tr: Transition,
  env: Environment,
  out: PosteriorSummary<Float64Array | Float32Array>,
  scratch: Float64Array,
): void {
  const nb = tr.nBins,
    ns = tr.nStates,
    d = env.dims,
    c = env.centers.data;
  const pos = out.positionPosterior.data,
    states = out.statePosterior.data,
    map = out.map.data,
    mean = out.mean.data;
  const inPlace = scratch === pos;
  for (let r = 0; r < rows.length / tr.n; r++) {
    const t = first + r;
    const row = rows.subarray(r * tr.n, (r + 1) * tr.n);
    // the position marginal in float64: the row itself (one state), else summed over states from 0
    const pr = ns === 1 ? row : inPlace ? scratch.subarray(t * nb, (t + 1) * nb) : scratch.fill(0);
    for (let s = 0; s < ns; s++) {
      let sum = 0;
      for (let b = 0; b < nb; b++) {
        const v = row[s * nb + b];
        if (ns > 1) pr[b] += v;
        sum += v;
      }
      states[t * ns + s] = sum;
    }
    if (!inPlace) pos.set(pr, t * nb);
    let best = 0;
    for (let b = 1; b < nb; b++) if (pr[b] > pr[best]) best = b;
    for (let k = 0; k < d; k++) {
      map[t * d + k] = c[best * d + k];
      let m = 0;
      for (let b = 0; b < nb; b++) m += pr[b] * c[b * d + k];
      mean[t * d + k] = m;
    }
  }
}
