import type { FloatArray } from '@spyglass-wasm/core';
import type { Backend } from '@spyglass-wasm/core';
import { firReference } from '../reference/fir.js';
import { fft } from '../spectral/fft.js';
import { bitReversal, fftTwiddles, nextPowerOfTwo } from '../spectral/twiddles.js';
import { dspKernels } from '../wasm/kernels.js';
import { type PrecisionOption, maxErrorOverRms } from './precision.js';
import type { Precision } from './sos.js';

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
 * every channel. The wasm backend uses polyphase FFT overlap-save (only kept outputs, two channels
 * per complex FFT); the reference backend the direct sum.
 */
export function firApply<T extends FloatArray>(
  taps: Float64Array,
  delay: number,
  req: FirRequest<T>,
  backend: Backend,
  precision: Precision = 'float64',
): T {
  const { x, rows, cols, first, count, q } = req;
  const Out = x.constructor as { new (n: number): T };
  if (count <= 0) return new Out(0);
  if (backend === 'reference') return firReference(taps, delay, req);
  const ntapsP = Math.ceil(taps.length / q); // taps of each polyphase branch
  const nfft = Math.min(Math.max(nextPowerOfTwo(ntapsP) * 4, 64), nextPowerOfTwo(count + ntapsP));
  const { exports, heap } = dspKernels.get();
  const isF32 = x instanceof Float32Array ? 1 : 0;
  const single = isF32 === 1 && precision === 'float32';
  const spec = single ? toSingle(polyphaseSpectra(taps, q, nfft)) : polyphaseSpectra(taps, q, nfft);
  const tw = single ? singleTwiddles(nfft) : fftTwiddles(nfft);
  const valid = nfft - ntapsP + 1; // outputs per transform block
  // Outputs per call: whole blocks, about CHUNK_SAMPLES of input, so Wasm memory stays small.
  const perCall = Math.min(count, valid * Math.max(1, Math.floor(CHUNK_SAMPLES / (valid * q * cols))));
  const out = new Out(count * cols);
  const base = first + delay;
  heap.scoped(() => {
    const pSpec = heap.put(spec);
    const pTw = heap.put(tw.forward);
    const pTwInv = heap.put(tw.inverse);
    const pBuf = heap.alloc(4 * 16 * nfft); // four channel pairs at a time
    const pAcc = heap.alloc(4 * 16 * nfft);
    const pOut = heap.alloc(perCall * cols * x.BYTES_PER_ELEMENT);
    for (let j0 = 0; j0 < count; j0 += perCall) {
      const n = Math.min(perCall, count - j0);
      // Input rows these outputs reach, within the data (the kernel takes the rest as zero).
      const lo = Math.max(0, base + j0 * q - (taps.length - 1));
      const hi = Math.min(rows, base + (j0 + n - 1) * q + 1);
      heap.scoped(() => {
        const pX = heap.put(x.subarray(lo * cols, Math.max(lo, hi) * cols));
        const b = base + j0 * q - lo;
        if (single)
          exports.firPolyphase32(
            pX,
            Math.max(0, hi - lo),
            cols,
            pSpec,
            nfft,
            q,
            ntapsP,
            b,
            n,
            pTw,
            pTwInv,
            pBuf,
            pAcc,
            pOut,
          );
        else
          exports.firPolyphase(
            pX,
            Math.max(0, hi - lo),
            cols,
            isF32,
            pSpec,
            nfft,
            q,
            ntapsP,
            b,
            n,
            pTw,
            pTwInv,
            pBuf,
            pAcc,
            pOut,
          );
        out.set(heap.viewLike(x, pOut, n * cols), j0 * cols);
      });
    }
  });
  return out;
}

/**
 * The arithmetic for a call: float32 when asked, or for 'auto' when the data are Float32Array,
 * long enough, and two trials, computed both ways, stay within FIR_FLOAT32_TOLERANCE of their
 * RMS: outputs from the middle of the data, and the first outputs (content at the start only, an
 * offset settling as the recording starts, with the call's own extension before it). Float32
 * transforms round at ~1e-7 of the input's size, so what decides is how much of the input the
 * filter keeps: a band-pass that removes an offset or LFP 1000× the band's content, throughout
 * or in the first rows only, falls back to float64.
 */
export function resolveFirPrecision<T extends FloatArray>(
  option: PrecisionOption,
  taps: Float64Array,
  delay: number,
  req: FirRequest<T>,
  backend: Backend,
): Precision {
  if (option !== 'auto') return option;
  if (!(req.x instanceof Float32Array) || backend === 'reference' || req.count < FIR_AUTO_MIN_OUTPUTS) return 'float64';
  const count = Math.min(req.count, FIR_TRIAL_OUTPUTS);
  const passes = (firstOutput: number) => {
    const trial = { ...req, first: req.first + firstOutput * req.q, count };
    const y32 = firApply(taps, delay, trial, backend, 'float32');
    return maxErrorOverRms(y32, firApply(taps, delay, trial, backend, 'float64')) <= FIR_FLOAT32_TOLERANCE;
  };
  return passes((req.count - count) >> 1) && passes(0) ? 'float32' : 'float64';
}

/** 'auto' takes float32 when the trial's max error is within this of its RMS (budget: 1e-4 over a recording). */
const FIR_FLOAT32_TOLERANCE = 1e-5;
/** Outputs the trial computes both ways (all channels), and the fewest outputs worth a trial. */
const FIR_TRIAL_OUTPUTS = 512;
const FIR_AUTO_MIN_OUTPUTS = 8 * FIR_TRIAL_OUTPUTS;

/** Float64 tables of 4-value entries [a, a, b, c] as the float32 kernel's [a, a, a, a, b, c, b, c]. */
function toSingle(table: Float64Array): Float32Array {
  const hit = singleCache.get(table);
  if (hit) return hit;
  const out = new Float32Array(2 * table.length);
  for (let i = 0; i < table.length; i += 4) {
    const [a, b, c] = [table[i], table[i + 2], table[i + 3]];
    out.set([a, a, a, a, b, c, b, c], 2 * i);
  }
  singleCache.set(table, out);
  return out;
}

const singleCache = new WeakMap<Float64Array, Float32Array>();

function singleTwiddles(n: number): { forward: Float32Array; inverse: Float32Array } {
  const t = fftTwiddles(n);
  return { forward: toSingle(t.forward), inverse: toSingle(t.inverse) };
}

/** Input samples copied into Wasm memory per kernel call. */
const CHUNK_SAMPLES = 1 << 21;

/**
 * The spectra the kernel multiplies by: for each branch r < q, the FFT of h[p·q + r] zero-padded to
 * nfft, scaled by 1/nfft (the inverse is unscaled), in bit-reversed order (the kernel's forward
 * transform leaves its spectra so), each value as [re, re, −im, im]. Cached for a few designs.
 */
function polyphaseSpectra(taps: Float64Array, q: number, nfft: number): Float64Array {
  const key = `${nfft}:${q}:${taps.length}:${taps[0]}:${taps[taps.length >> 1]}`;
  const hit = specCache.get(key);
  if (hit && hit.taps.length === taps.length && hit.taps.every((v, i) => v === taps[i])) return hit.spec;
  const spec = new Float64Array(4 * nfft * q);
  const rev = bitReversal(nfft);
  const z = new Float64Array(2 * nfft);
  for (let r = 0; r < q; r++) {
    z.fill(0);
    for (let p = 0; p * q + r < taps.length; p++) z[2 * p] = taps[p * q + r] / nfft;
    fft(z, nfft);
    for (let i = 0; i < nfft; i++) {
      const re = z[2 * rev[i]],
        im = z[2 * rev[i] + 1];
      spec.set([re, re, -im, im], 4 * (r * nfft + i));
    }
  }
  if (specCache.size > 8) specCache.clear();
  specCache.set(key, { taps: taps.slice(), spec });
  return spec;
}

const specCache = new Map<string, { taps: Float64Array; spec: Float64Array }>();
