import type { Matrix } from '@spyglass-wasm/core';
import { decodingKernels } from '../wasm/kernels.js';
import { filterReference, smootherReference } from '../reference/filter.js';
import type { Transition } from './transition.js';

export interface FilterOptions {
  /** Run the acausal smoother too (default true). */
  smoother?: boolean;
  backend?: 'wasm' | 'reference';
}

export interface FilterResult {
  /** nTime × n causal posterior. */
  filtered: Matrix<Float64Array>;
  /** nTime × n acausal posterior (when smoother). */
  smoothed?: Matrix<Float64Array>;
  logMarginal: number;
}

/**
 * Normalised forward filter (and backward smoother) of a discrete × position state space, given
 * log-likelihoods nTime × nBins (columns picked by `transition.likIndex`).
 *
 * @example
 * const { smoothed } = filterSmooth(sortedSpikesLikelihood(model, spikes, bins), buildTransition(env));
 */
export function filterSmooth(loglik: Matrix<Float64Array>, tr: Transition, options: FilterOptions = {}): FilterResult {
  const smooth = options.smoother ?? true;
  const nTime = loglik.rows,
    n = tr.n;
  if (options.backend === 'reference') {
    const f = filterReference(loglik, tr);
    return {
      filtered: f.filtered,
      logMarginal: f.logMarginal,
      smoothed: smooth ? smootherReference(f.filtered, tr) : undefined,
    };
  }
  if (nTime === 0)
    return {
      filtered: { data: new Float64Array(0), rows: 0, cols: n },
      smoothed: smooth ? { data: new Float64Array(0), rows: 0, cols: n } : undefined,
      logMarginal: 0,
    };
  const { exports: k, heap } = decodingKernels.get();
  return heap.scoped(() => {
    const g = tr.walk;
    if (g) {
      const nb = g.nx * g.ny;
      k.setGridWalk(
        g.nx,
        g.ny,
        g.radius,
        heap.put(g.k),
        heap.put(g.scale),
        heap.put(g.mask),
        g.fromOffset,
        g.toOffset,
        heap.alloc(8 * nb),
        heap.alloc(8 * nb),
      );
    }
    try {
      return runKernels();
    } finally {
      if (g) k.setGridWalk(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
  });
  function runKernels(): FilterResult {
    const pLL = heap.put(loglik.data),
      pLik = heap.put(tr.likIndex);
    const pTp = heap.put(tr.toPtr),
      pTi = heap.put(tr.toIdx),
      pTw = heap.put(tr.toW);
    const pU = heap.put(tr.lowU),
      pW = heap.put(tr.lowW),
      pInit = heap.put(tr.init);
    const pOut = heap.alloc(nTime * n * 8),
      pPred = heap.alloc(n * 8);
    const logMarginal = k.forwardFilter(
      nTime,
      n,
      pLL,
      loglik.cols,
      pLik,
      pTp,
      pTi,
      pTw,
      tr.nLow,
      pU,
      pW,
      pInit,
      pOut,
      pPred,
    );
    const filtered = { data: heap.f64(pOut, nTime * n).slice(), rows: nTime, cols: n };
    if (!smooth) return { filtered, logMarginal };
    const pFp = heap.put(tr.fromPtr),
      pFi = heap.put(tr.fromIdx),
      pFw = heap.put(tr.fromW);
    const pS = heap.alloc(nTime * n * 8),
      pRatio = heap.alloc(n * 8);
    k.backwardSmoother(nTime, n, pOut, pTp, pTi, pTw, pFp, pFi, pFw, tr.nLow, pU, pW, pS, pPred, pRatio);
    return { filtered, smoothed: { data: heap.f64(pS, nTime * n).slice(), rows: nTime, cols: n }, logMarginal };
  }
}
