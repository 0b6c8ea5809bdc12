import { ParameterError, checkChoice, checkNumber, tan } from '@spyglass-wasm/core';
import { type Zpk, bilinear, buttap, cheb1ap, lp2bp, lp2bs, lp2hp, lp2lp } from './zpk.js';
import { zpk2sos } from './zpk2sos.js';
import { checkOptionNames } from '@spyglass-wasm/core';

export type BandType = 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';

export interface ButterOptions {
  /** Filter type; default 'lowpass'. */
  btype?: BandType;
  /** Sampling rate in Hz; when given, Wn is in Hz. Otherwise Wn is a fraction of Nyquist. */
  fs?: number;
}

const BTYPES: readonly BandType[] = ['lowpass', 'highpass', 'bandpass', 'bandstop'];

/**
 * Digital Butterworth filter as second-order sections, like
 * `scipy.signal.butter(N, Wn, btype, fs=fs, output='sos')`: same sections, same order, same gain
 * placement (first section), so results agree with scipy to rounding.
 *
 * @param order filter order, 1–10 (band filters get 2·order poles)
 * @param Wn cutoff: a number for low/high-pass, [low, high] for band-pass/stop
 * @returns Float64Array of nsec × 6 rows [b0 b1 b2 a0 a1 a2]
 *
 * @example
 * const sos = butter(4, [300, 6000], { btype: 'bandpass', fs: 30000 });
 * const y = sosfiltfilt(sos, x);
 */
export function butter(order: number, Wn: number | readonly number[], options: ButterOptions = {}): Float64Array {
  checkNumber('N', order, { min: 1, max: 10, integer: true });
  return iirDesign('butter', buttap(order), Wn, options);
}

/**
 * Digital Chebyshev type I filter with `rp` dB of passband ripple as second-order sections, like
 * `scipy.signal.cheby1(N, rp, Wn, btype, fs=fs, output='sos')` (decimate's anti-alias filter).
 */
export function cheby1(
  order: number,
  rp: number,
  Wn: number | readonly number[],
  options: ButterOptions = {},
): Float64Array {
  checkNumber('N', order, { min: 1, max: 20, integer: true });
  checkNumber('rp', rp, { min: 0, exclusiveMin: true });
  return iirDesign('cheby1', cheb1ap(order, rp), Wn, options);
}

/** scipy's iirfilter path for a low-pass prototype: pre-warp, transform band, bilinear, SOS. */
function iirDesign(name: string, proto: Zpk, Wn: number | readonly number[], options: ButterOptions): Float64Array {
  checkOptionNames(name, options, ['btype', 'fs']);
  const btype = checkChoice('btype', options.btype ?? 'lowpass', BTYPES);
  const band = btype === 'bandpass' || btype === 'bandstop';
  const cutoffs = typeof Wn === 'number' ? [Wn] : [...Wn];
  if (cutoffs.length !== (band ? 2 : 1)) {
    throw new ParameterError(
      'Wn',
      band ? '[low, high] for a band filter' : 'one cutoff for a low/high-pass filter',
      Wn,
    );
  }
  const fs = options.fs;
  if (fs !== undefined) checkNumber('fs', fs, { min: 0, exclusiveMin: true });
  const normalized = cutoffs.map((w) => (fs === undefined ? w : (2 * w) / fs));
  normalized.forEach((w, i) => {
    if (!(w > 0 && w < 1)) {
      throw new ParameterError(
        'Wn',
        fs === undefined ? 'cutoffs in (0, 1) (fractions of Nyquist)' : `cutoffs in (0, ${fs / 2}) Hz (below Nyquist)`,
        cutoffs[i],
      );
    }
  });
  if (band && !(normalized[0] < normalized[1])) throw new ParameterError('Wn', 'low < high', Wn);

  // Pre-warp for the bilinear transform with fs = 2 (normalised frequencies).
  const warped = normalized.map((w) => 4 * tan((Math.PI * w) / 2));
  let analog;
  if (btype === 'lowpass') analog = lp2lp(proto, warped[0]);
  else if (btype === 'highpass') analog = lp2hp(proto, warped[0]);
  else {
    const bw = warped[1] - warped[0];
    const wo = Math.sqrt(warped[0] * warped[1]);
    analog = btype === 'bandpass' ? lp2bp(proto, wo, bw) : lp2bs(proto, wo, bw);
  }
  return zpk2sos(bilinear(analog, 2));
}
