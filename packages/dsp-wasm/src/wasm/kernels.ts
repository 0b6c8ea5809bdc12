import { KernelLoader, type CoreExports } from '@spyglass-wasm/core';
import { KERNELS_WASM_BASE64 } from './kernels.generated.js';

/** The raw exports of assembly/index.ts. Pointers are byte offsets from core's WasmHeap. */
export interface DspExports extends CoreExports {
  sosfiltF64(coef: number, nsec: number, x: number, rows: number, cols: number, state: number, reverse: number): void;
  sosfiltF32(coef: number, nsec: number, x: number, rows: number, cols: number, state: number, reverse: number): void;
}

/** This package's kernels: `dspKernels.get()` (sync, Node/workers) or `await dspKernels.ready()`. */
export const dspKernels = new KernelLoader<DspExports>('@spyglass-wasm/dsp-wasm', KERNELS_WASM_BASE64);
