import {
  ParameterError,
  checkChoice,
  checkNumber,
  toMatrix,
  type FloatArray,
  type Matrix,
  type MatrixInput,
} from '@spyglass-wasm/core';
import { firFilter } from '../filter/fir-filter.js';
import { firwin, kaiserord } from '../filter/firwin.js';
import { hilbert } from '../spectral/hilbert.js';
import type { PadType } from '../filter/pad.js';
import type { PrecisionOption } from '../filter/precision.js';

/**
 * Spyglass's standard LFP bands, Hz: 'Theta 5-11 Hz' (edges 4, 5, 11, 12) and 'Ripple 150-250 Hz' (140, 150, 250, 260).
 */
export const LFP_BANDS = {
  theta: { band: [5, 11], transition: 1 },
  ripple: { band: [150, 250], transition: 10 },
} as const;

export interface BandFilterOptions {
  /** Sampling rate of the LFP, Hz. */
  fs: number;
  /** [low, high] Hz, or a named band ('theta' 5–11 Hz, 'ripple' 150–250 Hz). */
  band: readonly [number, number] | keyof typeof LFP_BANDS;
  /**
   * Transition width on each side, Hz (default: theta 1, ripple 10, also when their edges are given as numbers; else
   * 10% of the low edge).
   */
  transition?: number;
  /** Stopband attenuation, dB (default 60). */
  attenuation?: number;
  /** Signal beyond the ends (default 'odd': no edge transients to mistake for events; needs more samples than taps). */
  padtype?: 'zero' | PadType;
  /**
   * Output rate, Hz: decimate by round(fs / targetFs) in the same pass (Spyglass's lfp_band_sampling_rate; default fs).
   */
  targetFs?: number;
  /**
   * Phase convention: 'spyglass' (default) angle + π in [0, 2π], as LFPBandV1.compute_signal_phase; 'signed' angle in
   * (−π, π].
   */
  phase?: 'spyglass' | 'signed';
  /**
   * The filter's arithmetic (firFilter's `precision`): 'auto' (default) decides from a trial on the
   * data, 'float64' / 'float32' fix it, so windows of a long recording filter as the whole does.
   */
  precision?: PrecisionOption;
}

/**
 * Zero-phase FIR band-pass taps (Kaiser window, length from kaiserord on the real rate), passing
 * [low, high] with the given transition on each side.
 */
export function bandTaps(options: BandFilterOptions): Float64Array {
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  const named = typeof options.band === 'string' ? LFP_BANDS[options.band] : undefined;
  if (typeof options.band === 'string' && !named)
    throw new ParameterError('band', `[low, high] or one of ${Object.keys(LFP_BANDS).join(', ')}`, options.band);
  const [lo, hi] = named ? named.band : (options.band as readonly [number, number]);
  // [150, 250] given as numbers gets the ripple band's transition too
  const same = named ?? Object.values(LFP_BANDS).find((b) => b.band[0] === lo && b.band[1] === hi);
  const tw = checkNumber('transition', options.transition ?? same?.transition ?? lo / 10, {
    min: 0,
    exclusiveMin: true,
  });
  if (!(lo - tw > 0 && hi + tw < fs / 2 && lo < hi)) {
    throw new ParameterError(
      'band',
      `0 < low − transition, low < high, high + transition < ${fs / 2} Hz`,
      options.band,
    );
  }
  const { numtaps, beta } = kaiserord(options.attenuation ?? 60, tw / (fs / 2));
  return firwin(numtaps | 1, [lo - tw / 2, hi + tw / 2], { window: ['kaiser', beta], pass_zero: false, fs });
}

/**
 * Band-pass filters LFP (time × channels) with zero phase.
 *
 * @example
 * const theta = bandFilter(lfp, { fs: 1000, band: 'theta' });
 */
export function bandFilter<T extends FloatArray>(lfp: T, options: BandFilterOptions): T;
export function bandFilter<T extends FloatArray>(lfp: MatrixInput<T>, options: BandFilterOptions): Matrix<T>;
export function bandFilter<T extends FloatArray>(lfp: MatrixInput<T>, options: BandFilterOptions): T | Matrix<T> {
  const taps = bandTaps(options);
  const target = checkNumber('targetFs', options.targetFs ?? options.fs, {
    min: 0,
    exclusiveMin: true,
    max: options.fs,
  });
  const decimate = Math.max(1, Math.round(options.fs / target));
  return firFilter(taps, lfp as Matrix<T>, {
    padtype: options.padtype ?? 'odd',
    decimate,
    precision: options.precision,
  });
}

/** A band's filtered signal with its Hilbert phase (radians) and power (amplitude²), all time × channels. */
export interface BandAnalysis<T extends FloatArray> {
  filtered: Matrix<T>;
  phase: Matrix<Float64Array>;
  power: Matrix<Float64Array>;
}

/**
 * bandFilter, then the analytic signal's phase and power (|analytic|²), as Spyglass's LFPBandV1
 * compute_signal_phase / compute_signal_power (phase = angle + π unless phase: 'signed').
 *
 * @example
 * const { filtered, phase, power } = bandAnalysis(lfp, { fs: 1000, band: 'theta' });
 */
export function bandAnalysis<T extends FloatArray>(lfp: MatrixInput<T>, options: BandFilterOptions): BandAnalysis<T> {
  const filtered = toMatrix(bandFilter(lfp as Matrix<T>, options), 'lfp') as Matrix<T>;
  const shift =
    checkChoice('phase', options.phase ?? 'spyglass', ['spyglass', 'signed'] as const) === 'spyglass' ? Math.PI : 0;
  const h = hilbert(filtered);
  const phase = new Float64Array(h.re.length);
  const power = new Float64Array(h.re.length);
  for (let i = 0; i < phase.length; i++) {
    phase[i] = Math.atan2(h.im[i], h.re[i]) + shift;
    power[i] = h.re[i] * h.re[i] + h.im[i] * h.im[i];
  }
  return {
    filtered,
    phase: { data: phase, rows: h.rows, cols: h.cols },
    power: { data: power, rows: h.rows, cols: h.cols },
  };
}
