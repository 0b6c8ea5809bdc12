import { KernelLoader, type CoreExports } from '@spyglass-wasm/core';
import { KERNELS_WASM_BASE64 } from './kernels.generated.js';

/** The raw exports of assembly/index.ts. Pointers are byte offsets from core's WasmHeap. */
export interface SpikeSortExports extends CoreExports {
  projectFeatures(x: number, n: number, d: number, comp: number, k: number, bias: number, out: number): void;
  accumulateCovariance(x: number, n: number, d: number, mean: number, row: number, cov: number): void;
  /** w = cov · v for k vectors of d (the product in each round of fitPca's subspace iteration). */
  covarianceTimes(cov: number, d: number, v: number, k: number, w: number): void;
  /** w = v · m for k vectors of `rows` against a rows × cols matrix (fitPca with fewer points than dimensions). */
  columnsTimes(m: number, rows: number, cols: number, v: number, k: number, w: number): void;
  /** Gram–Schmidt on k rows of d (float64) in place, the same bits as fitPca's plain loop. */
  orthonormalizeRows(w: number, k: number, d: number): void;
  /** Centroid sums of the picked rows of x by side (0: sumP, else sumQ), float64 (isosplit's pair test). */
  pairSums(x: number, d: number, rows: number, side: number, n: number, sumP: number, sumQ: number): void;
  /** Every unit's template against a residual window at consecutive shifts, float64 (matchTemplates). */
  correlateUnits(
    window: number,
    C: number,
    shifts: number,
    pairs: number,
    npairs: number,
    dim: number,
    scratch: number,
    out: number,
  ): void;
  /** r (rows × C float32) −= scale · the template from address t moved by f samples (matchTemplates). */
  subtractRows(r: number, t: number, rows: number, C: number, f: number, scale: number): void;
  /** Each float32 row to its nearest float64 template, or −1 (noise class); returns how many labels changed. */
  reassignRows(
    x: number,
    n: number,
    dim: number,
    templates: number,
    k: number,
    counts: number,
    noiseClass: number,
    current: number,
    next: number,
  ): number;
  /** Each float32 row to its nearest float64 centre (k-means); returns how many labels changed. */
  assignNearest(x: number, n: number, d: number, centers: number, k: number, labels: number): number;
  /** out[i] = (x[rows[i]] − centre) · dir / norm, float64 (isosplit's pair test). */
  projectOnLine(
    x: number,
    d: number,
    rows: number,
    n: number,
    centre: number,
    dir: number,
    norm: number,
    out: number,
  ): void;
}

/** This package's kernels: `spikeSortKernels.get()` (sync, Node/workers) or `await spikeSortKernels.ready()`. */
export const spikeSortKernels = new KernelLoader<SpikeSortExports>('@spyglass-wasm/spike-sort', KERNELS_WASM_BASE64);
