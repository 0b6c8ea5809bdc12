import { checkBackend, checkOptionNames, type Backend, cos, sin } from '@spyglass-wasm/core';
import { radix2Reference } from '../reference/fft.js';
import { dspKernels } from '../wasm/kernels.js';
import { fftTwiddles, isPowerOfTwo, nextPowerOfTwo } from './twiddles.js';

export interface FftOptions {
  /** The inverse transform, unscaled (numpy's ifft × n); default false. */
  inverse?: boolean;
  /** 'wasm' (default) or 'reference': the radix-2 butterflies in plain TypeScript, the same bits. */
  backend?: Backend;
}

/**
 * Discrete Fourier transform of n complex values, interleaved (re, im), in place. Any n: powers of
 * two run the radix-2 Wasm kernel directly, other sizes go through Bluestein's chirp-z algorithm
 * on it (numpy.fft.fft / ifft).
 *
 * @example
 * const z = new Float64Array([1, 0, 2, 0, 3, 0]); // 1, 2, 3
 * fft(z, 3);                                      // z = [6, 0, -1.5, 0.866…, -1.5, -0.866…]
 * fft(z, 3, { inverse: true });                   // z = [3, 0, 6, 0, 9, 0]: n × the input
 */
export function fft(data: Float64Array, n: number, options: FftOptions = {}): void {
  checkOptionNames('fft', options, ['inverse', 'backend']);
  transform(data, n, !!options.inverse, checkBackend(options.backend));
}

/** fft without the option checks, for the transforms inside hilbert, welch and the FIR engine. */
export function transform(data: Float64Array, n: number, inverse: boolean, backend: Backend): void {
  if (n <= 1) return;
  if (isPowerOfTwo(n)) return radix2(data, n, inverse, backend);
  if (inverse) {
    conjugate(data, n);
    bluestein(data, n, backend);
    conjugate(data, n);
  } else {
    bluestein(data, n, backend);
  }
}

function radix2(data: Float64Array, n: number, inverse: boolean, backend: Backend): void {
  const tw = fftTwiddles(n);
  if (backend === 'reference') return radix2Reference(data, n, inverse ? tw.inverse : tw.forward);
  const { exports, heap } = dspKernels.get();
  heap.scoped(() => {
    const pTw = heap.put(inverse ? tw.inverse : tw.forward);
    const p = heap.put(data.subarray(0, 2 * n));
    exports.fft(p, n, pTw);
    data.set(heap.f64(p, 2 * n));
  });
}

function conjugate(data: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) data[2 * i + 1] = -data[2 * i + 1];
}

/** Forward DFT of any length as a circular convolution of power-of-two size. */
function bluestein(data: Float64Array, n: number, backend: Backend): void {
  const m = nextPowerOfTwo(2 * n - 1);
  const chirp = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * ((k * k) % (2 * n))) / n; // k² mod 2n keeps the angle exact for large k
    chirp[2 * k] = cos(a);
    chirp[2 * k + 1] = -sin(a);
  }
  const a = new Float64Array(2 * m);
  const b = new Float64Array(2 * m);
  for (let k = 0; k < n; k++) {
    const wr = chirp[2 * k],
      wi = chirp[2 * k + 1];
    setProduct(a, k, data[2 * k], data[2 * k + 1], wr, wi);
    b[2 * k] = wr;
    b[2 * k + 1] = -wi;
    if (k > 0) {
      b[2 * (m - k)] = wr;
      b[2 * (m - k) + 1] = -wi;
    }
  }
  radix2(a, m, false, backend);
  radix2(b, m, false, backend);
  for (let k = 0; k < m; k++) setProduct(a, k, a[2 * k], a[2 * k + 1], b[2 * k], b[2 * k + 1]);
  radix2(a, m, true, backend);
  for (let k = 0; k < n; k++) setProduct(data, k, a[2 * k] / m, a[2 * k + 1] / m, chirp[2 * k], chirp[2 * k + 1]);
}

/** Complex value k of `out` (interleaved) = (xr + i·xi)(yr + i·yi). */
function setProduct(out: Float64Array, k: number, xr: number, xi: number, yr: number, yi: number): void {
  out[2 * k] = xr * yr - xi * yi;
  out[2 * k + 1] = xr * yi + xi * yr;
}
