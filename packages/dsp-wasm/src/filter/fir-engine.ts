import type { FloatArray } from '@spyglass-wasm/core';
import type { Backend } from '@spyglass-wasm/core';
import { firReference } from '../reference/fir.js';
import { fft } from '../spectral/fft.js';
import { fftTwiddles, nextPowerOfTwo } from '../spectral/twiddles.js';
import { dspKernels } from '../wasm/kernels.js';

/** Which zero-phase outputs to compute from an input window: y[first + j·q], j < count. */
export interface FirRequest<T extends FloatArray> {
  x: T;
  rows: number;
  cols: number;
  first: number;
  count: number;
  q: number;
}

/**
 * Computes y[n] = Σ_k h[k]·x[n + delay − k] (x zero outside the window) at the requested rows, for
 * every channel. The wasm backend uses FFT overlap-save, two channels per complex FFT; the
 * reference backend the direct sum.
 */
export function firApply<T extends FloatArray>(
  taps: Float64Array,
  delay: number,
  req: FirRequest<T>,
  backend: Backend,
): T {
  const { x, rows, cols, first, count, q } = req;
  const Out = x.constructor as { new (n: number): T };
  if (count <= 0) return new Out(0);
  if (backend === 'reference') return firReference(taps, delay, req);
  const ntaps = taps.length;
  const span = (count - 1) * q + ntaps; // input samples the outputs depend on
  const nfft = Math.min(Math.max(nextPowerOfTwo(ntaps) * 4, 256), nextPowerOfTwo(span + ntaps));
  const spec = new Float64Array(2 * nfft);
  for (let i = 0; i < ntaps; i++) spec[2 * i] = taps[i] / nfft;
  fft(spec, nfft);
  const tw = fftTwiddles(nfft);
  const { exports, heap } = dspKernels.get();
  const isF32 = x instanceof Float32Array ? 1 : 0;
  return heap.scoped(() => {
    const pX = heap.put(x.subarray(0, rows * cols));
    const pSpec = heap.put(spec);
    const pTw = heap.put(tw.forward);
    const pTwInv = heap.put(tw.inverse);
    const pBuf = heap.alloc(16 * nfft);
    const pOut = heap.alloc(count * cols * x.BYTES_PER_ELEMENT);
    for (let a = 0; a < cols; a += 2) {
      exports.firPairOverlapSave(
        pX,
        rows,
        cols,
        a,
        a + 1 < cols ? a + 1 : -1,
        isF32,
        pSpec,
        nfft,
        ntaps,
        delay,
        first,
        count,
        q,
        pTw,
        pTwInv,
        pBuf,
        pOut,
      );
    }
    return heap.viewLike(x, pOut, count * cols).slice() as T;
  });
}
