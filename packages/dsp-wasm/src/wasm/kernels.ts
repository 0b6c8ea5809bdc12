import { KernelLoader, type CoreExports } from '@spyglass-wasm/core';
import { KERNELS_WASM_BASE64 } from './kernels.generated.js';

type SosKernel = (coef: number, nsec: number, x: number, rows: number, cols: number, state: number, reverse: number) => void;

/** The raw exports of assembly/index.ts. Pointers are byte offsets from core's WasmHeap. */
export interface DspExports extends CoreExports {
  /** f64 data, f64 arithmetic. */
  sosfiltF64: SosKernel;
  /** f32 data, f64 arithmetic. */
  sosfiltF32: SosKernel;
  /** f32 data, f32 arithmetic. */
  sosfiltF32Single: SosKernel;
}

/** This package's kernels: `dspKernels.get()` (sync, Node/workers) or `await dspKernels.ready()`. */
export const dspKernels = new KernelLoader<DspExports>('@spyglass-wasm/dsp-wasm', KERNELS_WASM_BASE64);
