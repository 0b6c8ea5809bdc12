import { exp, log } from '@spyglass-wasm/core';
import type { Matrix } from '@spyglass-wasm/core';
import { denseTransition, type Transition } from '../state-space/transition.js';

/** Plain forward filter with the dense transition matrix and exp (reference of forwardFilter). */
export function filterReference(
  loglik: Matrix<Float64Array>,
  tr: Transition,
): { filtered: Matrix<Float64Array>; logMarginal: number } {
  const n = tr.n,
    T = denseTransition(tr).data,
    nTime = loglik.rows;
  const out = new Float64Array(nTime * n);
  const pred = new Float64Array(n);
  let logMarginal = 0;
  for (let t = 0; t < nTime; t++) {
    if (t === 0) pred.set(tr.init);
    else {
      pred.fill(0);
      for (let i = 0; i < n; i++) {
        const p = out[(t - 1) * n + i];
        if (p !== 0) for (let j = 0; j < n; j++) pred[j] += p * T[i * n + j];
      }
    }
    let m = -Infinity;
    for (let i = 0; i < n; i++) if (pred[i] > 0) m = Math.max(m, loglik.data[t * loglik.cols + tr.likIndex[i]]);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = pred[i] > 0 ? pred[i] * exp(loglik.data[t * loglik.cols + tr.likIndex[i]] - m) : 0;
      out[t * n + i] = v;
      sum += v;
    }
    if (sum > 0 && Number.isFinite(sum)) {
      for (let i = 0; i < n; i++) out[t * n + i] /= sum;
      logMarginal += log(sum) + m;
    } else out.set(pred, t * n);
  }
  return { filtered: { data: out, rows: nTime, cols: n }, logMarginal };
}

/** Plain backward smoother (reference of backwardSmoother). */
export function smootherReference(filtered: Matrix<Float64Array>, tr: Transition): Matrix<Float64Array> {
  const n = tr.n,
    T = denseTransition(tr).data,
    nTime = filtered.rows,
    f = filtered.data;
  const out = new Float64Array(nTime * n);
  if (nTime === 0) return { data: out, rows: 0, cols: n };
  out.set(f.subarray((nTime - 1) * n, nTime * n), (nTime - 1) * n);
  const pred = new Float64Array(n),
    ratio = new Float64Array(n);
  for (let t = nTime - 2; t >= 0; t--) {
    pred.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pred[j] += f[t * n + i] * T[i * n + j];
    for (let j = 0; j < n; j++) ratio[j] = pred[j] > 0 ? out[(t + 1) * n + j] / pred[j] : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += T[i * n + j] * ratio[j];
      out[t * n + i] = f[t * n + i] * s;
      sum += out[t * n + i];
    }
    if (sum > 0) for (let i = 0; i < n; i++) out[t * n + i] /= sum;
  }
  return { data: out, rows: nTime, cols: n };
}
