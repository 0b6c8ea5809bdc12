import { KernelLoader, type CoreExports } from '@spyglass-wasm/core';
import { KERNELS_WASM_BASE64 } from './kernels.generated.js';

/** The raw exports of assembly/index.ts. Pointers are byte offsets from core's WasmHeap. */
export interface DecodingExports extends CoreExports {
  expNegKernel(x: number, out: number, n: number): void;
  expNeg2Kernel(x: number, out: number, n: number): void;
  sortedLogLikelihood(
    spikeBin: number,
    spikeUnit: number,
    nSpikes: number,
    logRate: number,
    baseline: number,
    nBins: number,
    out: number,
    nTime: number,
  ): void;
  /** encT: marks feature-major, feature j of spike e at encT[j * encStride + e]. */
  markMinDistance(
    dec: number,
    nDec: number,
    encT: number,
    nEnc: number,
    encStride: number,
    dim: number,
    scale: number,
    xmin: number,
  ): void;
  /** out[e, b]: the Gaussian position kernel of positionKernelRows; centersT dimension-major. */
  positionKernel(
    centersT: number,
    nBins: number,
    dims: number,
    pos: number,
    nPos: number,
    norm: number,
    inv: number,
    out: number,
  ): void;
  /** scratch: nEnc × 36 bytes. */
  markAccumulate(
    dec: number,
    nDec: number,
    encT: number,
    nEnc: number,
    encStride: number,
    dim: number,
    scale: number,
    xmin: number,
    cutoff: number,
    posKernel: number,
    nBins: number,
    acc: number,
    scratch: number,
  ): void;
  /** Filters rows [start, end) of the run, continuing the log marginal summed before `start`. */
  forwardFilter(
    start: number,
    end: number,
    n: number,
    loglik: number,
    nL: number,
    likIndex: number,
    rowPtr: number,
    colIdx: number,
    w: number,
    nLow: number,
    lowU: number,
    lowW: number,
    init: number,
    out: number,
    pred: number,
    logMarginalBefore: number,
  ): number;
  /** Smooths rows [start, end) of the run (last first), given rows from `end` on already smoothed. */
  backwardSmoother(
    start: number,
    end: number,
    nTime: number,
    n: number,
    filtered: number,
    rowPtr: number,
    colIdx: number,
    w: number,
    fwdPtr: number,
    fwdIdx: number,
    fwdW: number,
    nLow: number,
    lowU: number,
    lowW: number,
    out: number,
    pred: number,
    ratio: number,
  ): void;
  /** Makes the next filter/smoother calls apply a GridWalk by two 1-D passes (nx = 0: off). */
  setGridWalk(
    nx: number,
    ny: number,
    radius: number,
    k: number,
    scale: number,
    mask: number,
    fromOffset: number,
    toOffset: number,
    tmpA: number,
    tmpB: number,
  ): void;
}

/** This package's kernels: `decodingKernels.get()` (sync, Node/workers) or `await decodingKernels.ready()`. */
export const decodingKernels = new KernelLoader<DecodingExports>('@spyglass-wasm/decoding', KERNELS_WASM_BASE64);
