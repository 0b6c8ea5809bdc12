import { ParameterError, StagedProgress, type Matrix, type ProgressCallback } from '@spyglass-wasm/core';
import { decodingKernels } from '../wasm/kernels.js';
import { filterReference, smootherReference } from '../reference/filter.js';
import type { Transition } from './transition.js';
import type { LikelihoodRows } from '../likelihood/sorted.js';

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
  const { heap } = decodingKernels.get();
  return withTransition(tr, runKernels);
  function runKernels(): FilterResult {
    const p = putTransition(tr);
    const pLL = heap.put(loglik.data);
    const pOut = heap.alloc(nTime * n * 8),
      pPred = heap.alloc(n * 8);
    const filterDone = progress.stage('filter');
    let logMarginal = 0;
    for (let start = 0; start < nTime; start += chunk) {
      const end = Math.min(nTime, start + chunk);
      logMarginal = forwardKernel(tr, p, start, end, pLL, loglik.cols, pOut, pPred, logMarginal);
      filterDone(end / nTime);
    }
    const filtered = { data: heap.f64(pOut, nTime * n).slice(), rows: nTime, cols: n };
    if (!smooth) {
      progress.done();
      return { filtered, logMarginal };
    }
    const pS = heap.alloc(nTime * n * 8),
      pRatio = heap.alloc(n * 8);
    const smootherDone = progress.stage('smoother');
    for (let end = nTime; end > 0; end -= chunk) {
      const start = Math.max(0, end - chunk);
      backwardKernel(tr, p, start, end, nTime, pOut, pS, pPred, pRatio);
      smootherDone((nTime - start) / nTime);
    }
    progress.done();
    return { filtered, smoothed: { data: heap.f64(pS, nTime * n).slice(), rows: nTime, cols: n }, logMarginal };
  }
}

/** Runs `fn` in a heap scope with the transition's 2-D grid walk (if any) set in the kernels. */
function withTransition<R>(tr: Transition, fn: () => R): R {
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
      return fn();
    } finally {
      if (g) k.setGridWalk(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
  });
}

export interface SmoothedChunkOptions extends Omit<FilterOptions, 'smoother'> {
  /**
   * Each chunk of the smoothed posterior, last first: rows [start, start + rows.length / n) of
   * nTime × n. `rows` is a view into kernel memory, valid only during the call (copy what you keep).
   */
  onChunk(start: number, rows: Float64Array): void;
}

/**
 * filterSmooth's smoothed posterior, bit for bit, handed out chunk by chunk in memory that does
 * not grow with nTime (Wasm backend; the log-likelihood whole, or read a chunk of rows at a
 * time): the forward pass keeps only the last filtered row of each chunk, and the backward pass
 * recomputes a chunk's filtered rows from the row before it (one more forward pass; the kernels
 * are deterministic, so the rows are the same). The reference backend computes the whole
 * posterior and hands it out in chunks.
 *
 * @example
 * filterSmoothChunks(loglik, tr, { onChunk: (start, rows) => summarize(start, rows) }).logMarginal;
 */
export function filterSmoothChunks(
  loglik: Matrix<Float64Array> | LikelihoodRows,
  tr: Transition,
  options: SmoothedChunkOptions,
): { logMarginal: number } {
  const chunk = checkChunkBins(options.chunkBins);
  const nTime = loglik.rows,
    n = tr.n;
  if (options.backend === 'reference' || nTime === 0) {
    const f = wholeSmoothed(loglik, tr, options);
    for (let end = nTime; end > 0; end -= chunk) {
      const start = Math.max(0, end - chunk);
      options.onChunk(start, f.smoothed!.data.subarray(start * n, end * n));
    }
    return { logMarginal: f.logMarginal };
  }
  const progress = new StagedProgress(options.onProgress, { filter: 1, smoother: 2 });
  const nChunks = Math.ceil(nTime / chunk);
  return withTransition(tr, () => {
    const kernels = chunkKernels(loglik, tr, chunk);
    const logMarginal = kernels.filterAll(progress.stage('filter'));
    const smootherDone = progress.stage('smoother');
    let next: Float64Array | undefined;
    for (let c = nChunks - 1; c >= 0; c--) {
      // the last chunk's filtered rows are still in place
      const rows = kernels.smooth(c, next, c < nChunks - 1);
      options.onChunk(c * chunk, rows);
      next = rows.slice(0, n);
      smootherDone((nChunks - c) / nChunks);
    }
    progress.done();
    return { logMarginal };
  });
}

/** The smoothed posterior in chunks, first first (filterSmoothInOrder). */
export interface SmoothedInOrder {
  /** The run's log marginal likelihood (known before the first chunk). */
  logMarginal: number;
  /**
   * Chunks of smoothed rows [start, start + rows.length / n), in time order; `rows` is valid until
   * the next chunk is asked for (one buffer serves them all: copy what you keep).
   */
  chunks: Iterable<{ start: number; rows: Float64Array }>;
}

/**
 * filterSmoothChunks' rows, bit for bit, handed out in time order (first chunk first), so that they
 * can be appended to a file as they come: a forward pass keeps each chunk's filtered row before it,
 * a backward pass (filter recomputed a chunk at a time) keeps each chunk's smoothed row after it,
 * and each chunk is then recomputed from those two rows when it is asked for. Memory does not grow
 * with nTime but for two rows per chunk; CPU: three filter passes and two smoother passes (the
 * likelihood rows are read three times).
 *
 * @example
 * const s = filterSmoothInOrder(sortedSpikesLikelihoodRows(model, spikes, bins), tr);
 * for (const { start, rows } of s.chunks) await out.append(summarize(start, rows));
 */
export function filterSmoothInOrder(
  loglik: Matrix<Float64Array> | LikelihoodRows,
  tr: Transition,
  options: Omit<SmoothedChunkOptions, 'onChunk'> = {},
): SmoothedInOrder {
  const chunk = checkChunkBins(options.chunkBins);
  const nTime = loglik.rows,
    n = tr.n;
  const nChunks = Math.ceil(nTime / chunk);
  const progress = new StagedProgress(options.onProgress, { filter: 1, smoother: 2, output: 2 });
  if (options.backend === 'reference' || nTime === 0) {
    const f = wholeSmoothed(loglik, tr, { ...options, onProgress: undefined });
    progress.stage('smoother')(1);
    return {
      logMarginal: f.logMarginal,
      chunks: (function* () {
        for (let start = 0; start < nTime; start += chunk)
          yield { start, rows: f.smoothed!.data.subarray(start * n, Math.min(nTime, start + chunk) * n) };
        progress.done();
      })(),
    };
  }
  const before = new Float64Array(nChunks * n); // each chunk's filtered row start - 1
  const after = new Float64Array(nChunks * n); // each chunk's smoothed row end (but the last's)
  const logMarginal = withTransition(tr, () => {
    const kernels = chunkKernels(loglik, tr, chunk, before);
    const lm = kernels.filterAll(progress.stage('filter'));
    const smootherDone = progress.stage('smoother');
    for (let c = nChunks - 1; c > 0; c--) {
      const rows = kernels.smooth(c, c < nChunks - 1 ? after.subarray(c * n, (c + 1) * n) : undefined, c < nChunks - 1);
      after.set(rows.subarray(0, n), (c - 1) * n);
      smootherDone((nChunks - c) / nChunks);
    }
    return lm;
  });
  const outputDone = progress.stage('output');
  const buffer = new Float64Array(Math.min(chunk, nTime) * n);
  function* chunks() {
    for (let c = 0; c < nChunks; c++) {
      // each chunk in a heap scope of its own: nothing is held in kernel memory between chunks
      const rows = withTransition(tr, () => {
        const view = chunkKernels(loglik, tr, chunk, before).smooth(
          c,
          c < nChunks - 1 ? after.subarray(c * n, (c + 1) * n) : undefined,
          true,
        );
        const out = buffer.subarray(0, view.length);
        out.set(view);
        return out;
      });
      outputDone((c + 1) / nChunks);
      yield { start: c * chunk, rows };
    }
    progress.done();
  }
  return { logMarginal, chunks: chunks() };
}

/** The whole smoothed posterior (reference backend, or no rows), for the chunked APIs. */
function wholeSmoothed(
  loglik: Matrix<Float64Array> | LikelihoodRows,
  tr: Transition,
  options: Omit<SmoothedChunkOptions, 'onChunk'>,
): FilterResult {
  const nTime = loglik.rows;
  const data = 'data' in loglik ? loglik.data.subarray(0, nTime * loglik.cols) : loglik.read(0, nTime);
  const whole = { data, rows: nTime, cols: loglik.cols };
  return filterSmooth(whole, tr, { ...options, smoother: true, chunkBins: Math.max(1, nTime) });
}

/**
 * The chunked filter and smoother's kernel memory, set up in the current heap scope (inside
 * withTransition): one chunk of log-likelihood, filtered rows start-1 … end-1 and smoothed rows
 * start … end. `before` holds each chunk's filtered row start - 1 (filled by filterAll).
 */
function chunkKernels(
  loglik: Matrix<Float64Array> | LikelihoodRows,
  tr: Transition,
  chunk: number,
  before = new Float64Array(Math.ceil(loglik.rows / chunk) * tr.n),
) {
  const { heap } = decodingKernels.get();
  const nTime = loglik.rows,
    n = tr.n,
    rowBytes = n * 8,
    cols = loglik.cols;
  const nChunks = Math.ceil(nTime / chunk);
  const rowsOf = (start: number, end: number) =>
    'data' in loglik ? loglik.data.subarray(start * cols, end * cols) : loglik.read(start, end);
  const p = putTransition(tr);
  const pLL = heap.alloc(chunk * cols * 8),
    pF = heap.alloc((chunk + 1) * rowBytes),
    pS = heap.alloc((chunk + 1) * rowBytes),
    pPred = heap.alloc(rowBytes),
    pRatio = heap.alloc(rowBytes);
  // The kernels index rows by their time in the whole run: pointers are shifted back by `start`
  // rows so that row t lands in the chunk buffer (wasm32 addresses wrap, as usize arithmetic does).
  const forward = (c: number, logMarginal: number): number => {
    const start = c * chunk,
      end = Math.min(nTime, start + chunk);
    const ll = rowsOf(start, end); // (a likelihood computed here allocates above pRatio, released after)
    heap.f64(pLL, (end - start) * cols).set(ll);
    if (c > 0) heap.f64(pF, n).set(before.subarray(c * n, (c + 1) * n));
    const lm = forwardKernel(
      tr,
      p,
      start,
      end,
      pLL - start * cols * 8,
      cols,
      pF + rowBytes - start * rowBytes,
      pPred,
      logMarginal,
    );
    if (c + 1 < nChunks) before.set(heap.f64(pF + (end - start) * rowBytes, n), (c + 1) * n);
    return lm;
  };
  return {
    /** The forward pass over every chunk (filling `before`); the log marginal. */
    filterAll(done: (fraction: number) => void): number {
      let logMarginal = 0;
      for (let c = 0; c < nChunks; c++) {
        logMarginal = forward(c, logMarginal);
        done((c + 1) / nChunks);
      }
      return logMarginal;
    },
    /**
     * Chunk c's smoothed rows (a view into kernel memory), given the smoothed row after it (`next`,
     * absent for the last chunk); its filtered rows are recomputed first when `refilter`.
     */
    smooth(c: number, next: Float64Array | undefined, refilter: boolean): Float64Array {
      const start = c * chunk,
        end = Math.min(nTime, start + chunk);
      if (refilter) forward(c, 0);
      if (next) heap.f64(pS + (end - start) * rowBytes, n).set(next);
      backwardKernel(tr, p, start, end, nTime, pF + rowBytes - start * rowBytes, pS - start * rowBytes, pPred, pRatio);
      return heap.f64(pS, (end - start) * n);
    },
  };
}

/** The transition's arrays put in kernel memory (current heap scope), for forwardKernel and backwardKernel. */
function putTransition(tr: Transition) {
  const { heap } = decodingKernels.get();
  return {
    lik: heap.put(tr.likIndex),
    toPtr: heap.put(tr.toPtr),
    toIdx: heap.put(tr.toIdx),
    toW: heap.put(tr.toW),
    fromPtr: heap.put(tr.fromPtr),
    fromIdx: heap.put(tr.fromIdx),
    fromW: heap.put(tr.fromW),
    lowU: heap.put(tr.lowU),
    lowW: heap.put(tr.lowW),
    init: heap.put(tr.init),
  };
}

type TransitionPointers = ReturnType<typeof putTransition>;

/**
 * The forward filter kernel over rows [start, end), continuing `logMarginal`: log-likelihood rows at
 * pLL (`cols` each) and filtered rows at pOut, both addressed by their row in the whole run.
 */
function forwardKernel(
  tr: Transition,
  p: TransitionPointers,
  start: number,
  end: number,
  pLL: number,
  cols: number,
  pOut: number,
  pPred: number,
  logMarginal: number,
): number {
  return decodingKernels
    .get()
    .exports.forwardFilter(
      start,
      end,
      tr.n,
      pLL,
      cols,
      p.lik,
      p.toPtr,
      p.toIdx,
      p.toW,
      tr.nLow,
      p.lowU,
      p.lowW,
      p.init,
      pOut,
      pPred,
      logMarginal,
    );
}

/**
 * The backward smoother kernel over rows [start, end) of nTime: filtered rows at pF, smoothed rows
 * at pS (both addressed by their row in the whole run).
 */
function backwardKernel(
  tr: Transition,
  p: TransitionPointers,
  start: number,
  end: number,
  nTime: number,
  pF: number,
  pS: number,
  pPred: number,
  pRatio: number,
): void {
  decodingKernels
    .get()
    .exports.backwardSmoother(
      start,
      end,
      nTime,
      tr.n,
      pF,
      p.toPtr,
      p.toIdx,
      p.toW,
      p.fromPtr,
      p.fromIdx,
      p.fromW,
      tr.nLow,
      p.lowU,
      p.lowW,
      pS,
      pPred,
      pRatio,
    );
}
