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

type SosPolesKernel = (
  coef: number,
  nsec: number,
  x: number,
  rows: number,
  cols: number,
  state: number,
  done: number,
  phase: number,
  q: number,
) => void;

/** The raw exports of assembly/index.ts. Pointers are byte offsets from core's WasmHeap. */
export interface DspExports extends CoreExports {
  /** f64 data, f64 arithmetic. */
  sosfiltF64: SosKernel;
  /** f32 data, f64 arithmetic. */
  sosfiltF32: SosKernel;
  /** f32 data, f32 arithmetic. */
  sosfiltF32Single: SosKernel;
  /** Backward pass, poles on every row and zeros on kept rows only (assembly/sos-poles.ts); f64 / f32 data. */
  sosPolesKeepF64: SosPolesKernel;
  sosPolesKeepF32: SosPolesKernel;
  /** In-place radix-2 FFT of n interleaved complex f64 (n a power of two); tw from fftTwiddles. */
  fft(data: number, n: number, tw: number): void;
  /** Polyphase FFT overlap-save FIR of every channel, kept outputs only; see assembly/fir.ts. */
  firPolyphase(
    x: number,
    rows: number,
    cols: number,
    isF32: number,
    spec: number,
    nfft: number,
    q: number,
    ntapsP: number,
    base: number,
    count: number,
    tw: number,
    twInv: number,
    buf: number,
    acc: number,
    out: number,
  ): void;
  /** firPolyphase in float32 arithmetic for float32 data (four channels per v128). */
  firPolyphase32(
    x: number,
    rows: number,
    cols: number,
    spec: number,
    nfft: number,
    q: number,
    ntapsP: number,
    base: number,
    count: number,
    tw: number,
    twInv: number,
    buf: number,
    acc: number,
    out: number,
  ): void;
  /** y = (x − mean) · W for rows of n f32 channels (W, mean f64; d: n f64 scratch); see assembly/whiten.ts. */
  whitenRowsF32(x: number, rows: number, n: number, mean: number, W: number, d: number, y: number): void;
  /** Adds the upper triangle of (x − mean)ᵀ(x − mean) over finite rows to cov; returns the rows used. */
  covarianceRowsF32(x: number, rows: number, n: number, mean: number, d: number, cov: number): number;
  /** Adds |X_c[k]|² of nseg segments to acc (nfreq × cols f64); see assembly/welch.ts. */
  welchAccumulate(
    x: number,
    cols: number,
    isF32: number,
    nperseg: number,
    step: number,
    nseg: number,
    win: number,
    detrend: number,
    tw: number,
    rev: number,
    buf: number,
    acc: number,
  ): void;
}

/** This package's kernels: `dspKernels.get()` (sync, Node/workers) or `await dspKernels.ready()`. */
export const dspKernels = new KernelLoader<DspExports>('@spyglass-wasm/dsp-wasm', KERNELS_WASM_BASE64);
