import type { Matrix } from '@spyglass-wasm/core';
import type { Environment } from '../environment/environment.js';
import type { Transition } from '../state-space/transition.js';

/** A posterior reduced to what analyses use. */
export interface PosteriorSummary {
  /** nTime × nBins: probability of each position (summed over discrete states). */
  positionPosterior: Matrix<Float64Array>;
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
  const nTime = posterior.rows,
    nb = tr.nBins,
    ns = tr.nStates,
    d = env.dims,
    c = env.centers.data;
  // One discrete state: the position posterior is the posterior itself (no 100 MB copy).
  const pos = ns === 1 ? posterior.data : new Float64Array(nTime * nb),
    states = new Float64Array(nTime * ns);
  const map = new Float64Array(nTime * d),
    mean = new Float64Array(nTime * d);
  for (let t = 0; t < nTime; t++) {
    const row = posterior.data.subarray(t * tr.n, (t + 1) * tr.n);
    const pr = pos.subarray(t * nb, (t + 1) * nb);
    for (let s = 0; s < ns; s++) {
      let sum = 0;
      for (let b = 0; b < nb; b++) {
        const v = row[s * nb + b];
        if (ns > 1) pr[b] += v;
        sum += v;
      }
      states[t * ns + s] = sum;
    }
    let best = 0;
    for (let b = 1; b < nb; b++) if (pr[b] > pr[best]) best = b;
    for (let k = 0; k < d; k++) {
      map[t * d + k] = c[best * d + k];
      let m = 0;
      for (let b = 0; b < nb; b++) m += pr[b] * c[b * d + k];
      mean[t * d + k] = m;
    }
  }
  return {
    positionPosterior: { data: pos, rows: nTime, cols: nb },
    statePosterior: { data: states, rows: nTime, cols: ns },
    map: { data: map, rows: nTime, cols: d },
    mean: { data: mean, rows: nTime, cols: d },
  };
}
