import { ParameterError, StagedProgress, type Matrix, type ProgressCallback } from '@spyglass-wasm/core';
import { decodingKernels } from '../wasm/kernels.js';
import { filterReference, smootherReference } from '../reference/filter.js';
import type { Transition } from './transition.js';

export interface FilterOptions {
  /** Run the acausal smoother too (default true). */
  smoother?: boolean;
  backend?: 'wasm' | 'reference';
  /**
   * Time bins per kernel call (default 2000): progress is reported between chunks. The result does
   * not depend on it (each chunk continues where the last stopped).
   */
  chunkBins?: number;
  /** Fraction done, 0..1: the filter's chunks, then the smoother's (Wasm backend). */
  onProgress?: ProgressCallback;
}

/** Default time bins per filter/smoother kernel call. */
const DEFAULT_CHUNK_BINS = 2000;

/** `chunkBins` checked: a positive integer (a typed error naming it otherwise). */
export function checkChunkBins(chunkBins: number | undefined): number {
  const c = chunkBins ?? DEFAULT_CHUNK_BINS;
  if (!Number.isInteger(c) || c < 1) throw new ParameterError('chunkBins', 'a positive integer number of time bins', c);
  return c;
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
  const chunk = checkChunkBins(options.chunkBins);
  const nTime = loglik.rows,
    n = tr.n;
  if (options.backend === 'reference') {
    const f = filterReference(loglik, tr);
    options.onProgress?.(1);
    return {
      filtered: f.filtered,
      logMarginal: f.logMarginal,
      smoothed: smooth ? smootherReference(f.filtered, tr) : undefined,
    };
  }
  if (nTime === 0) {
    options.onProgress?.(1);
    return {
      filtered: { data: new Float64Array(0), rows: 0, cols: n },
      smoothed: smooth ? { data: new Float64Array(0), rows: 0, cols: n } : undefined,
      logMarginal: 0,
    };
  }
  const progress = new StagedProgress(options.onProgress, { filter: 1, smoother: smooth ? 1 : 0 });
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
    const filterDone = progress.stage('filter');
    let logMarginal = 0;
    for (let start = 0; start < nTime; start += chunk) {
      const end = Math.min(nTime, start + chunk);
      logMarginal = k.forwardFilter(
        start,
        end,
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
        logMarginal,
      );
      filterDone(end / nTime);
    }
    const filtered = { data: heap.f64(pOut, nTime * n).slice(), rows: nTime, cols: n };
    if (!smooth) {
      progress.done();
      return { filtered, logMarginal };
    }
    const pFp = heap.put(tr.fromPtr),
      pFi = heap.put(tr.fromIdx),
      pFw = heap.put(tr.fromW);
    const pS = heap.alloc(nTime * n * 8),
      pRatio = heap.alloc(n * 8);
    const smootherDone = progress.stage('smoother');
    for (let end = nTime; end > 0; end -= chunk) {
      const start = Math.max(0, end - chunk);
      k.backwardSmoother(start, end, nTime, n, pOut, pTp, pTi, pTw, pFp, pFi, pFw, tr.nLow, pU, pW, pS, pPred, pRatio);
      smootherDone((nTime - start) / nTime);
    }
    progress.done();
    return { filtered, smoothed: { data: heap.f64(pS, nTime * n).slice(), rows: nTime, cols: n }, logMarginal };
  }
}
