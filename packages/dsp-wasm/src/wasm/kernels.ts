import { KernelLoader, type CoreExports } from '@spyglass-wasm/core';
import { KERNELS_WASM_BASE64 } from './kernels.generated.js';

type SosKernel = (
  coef: number,
  nsec: number,
  x: number,
  rows: number,
  cols: number,
  state: number,
  reverse: number,
) => void;

/** The raw exports of assembly/index.ts. Pointers are byte offsets from core's WasmHeap. */
export interface DspExports extends CoreExports {
  /** f64 data, f64 arithmetic. */
  sosfiltF64: SosKernel;
  /** f32 data, f64 arithmetic. */
  sosfiltF32: SosKernel;
  /** f32 data, f32 arithmetic. */
  sosfiltF32Single: SosKernel;
  /** In-place radix-2 FFT of n interleaved complex f64 (n a power of two); tw from fftTwiddles. */
  fft(data: number, n: number, tw: number): void;
  cmulInPlace(data: number, spec: number, n: number): void;
  firPairOverlapSave(
    x: number,
    rows: number,
    cols: number,
    chA: number,
    chB: number,
    isF32: number,
    spec: number,
    nfft: number,
    ntaps: number,
    delay: number,
    first: number,
    count: number,
    q: number,
    tw: number,
    twInv: number,
    buf: number,
    out: number,
  ): void;
}

/** This package's kernels: `dspKernels.get()` (sync, Node/workers) or `await dspKernels.ready()`. */
export const dspKernels = new KernelLoader<DspExports>('@spyglass-wasm/dsp-wasm', KERNELS_WASM_BASE64);
