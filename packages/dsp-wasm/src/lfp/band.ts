import {
  ParameterError,
  checkChoice,
  checkNumber,
  toMatrix,
  type FloatArray,
  type Matrix,
  type MatrixInput,
  atan2,
  cos,
} from '@spyglass-wasm/core';
import { firFilter } from '../filter/fir-filter.js';
import { firwin, kaiserord } from '../filter/firwin.js';
import { hilbert, type AnalyticSignal } from '../spectral/hilbert.js';
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
  return { filtered, ...phasePower(hilbert(filtered), 0, filtered.rows, shift) };
}

/** Phase (angle + shift) and power (|analytic|²) of rows [from, to) of an analytic signal. */
function phasePower(h: AnalyticSignal, from: number, to: number, shift: number): Omit<BandAnalysis<never>, 'filtered'> {
  const { cols } = h;
  const phase = new Float64Array((to - from) * cols);
  const power = new Float64Array(phase.length);
  for (let i = 0, j = from * cols; i < phase.length; i++, j++) {
    phase[i] = atan2(h.im[j], h.re[j]) + shift;
    power[i] = h.re[j] * h.re[j] + h.im[j] * h.im[j];
  }
  return { phase: { data: phase, rows: to - from, cols }, power: { data: power, rows: to - from, cols } };
}

/** A long (time × channels) float32 recording read in row windows (a stored result, a file). */
export interface RowReader {
  rows: number;
  cols: number;
  /** Rows [start, end), row-major. */
  read(start: number, end: number): Promise<Float32Array> | Float32Array;
}

/**
 * Rows [lo, hi) of the LFP's band (of channels [c0, c0 + width) when `columns` says so):
 * bandFilter (float64) on the LFP rows the filter reaches from them, padded as the whole
 * recording is at its ends, so each row equals the whole-array band's (bandFilter with
 * precision 'float64', bit for bit).
 */
export function bandReader(
  lfp: RowReader,
  options: Omit<BandFilterOptions, 'precision' | 'padtype' | 'targetFs'>,
): (lo: number, hi: number, columns?: readonly [number, number]) => Promise<Matrix<Float32Array>> {
  const edge = bandTaps(options).length - 1;
  const { rows, cols } = lfp;
  if (rows <= edge)
    throw new ParameterError('lfp', `more than ${edge} samples (the band-pass's taps − 1)`, `${rows} samples`);
  return async (lo, hi, columns = [0, cols]) => {
    const a = Math.max(0, lo - edge),
      b = Math.min(rows, hi + edge);
    const x = await lfp.read(a, b);
    if (x.length !== (b - a) * cols)
      throw new ParameterError('lfp', `${(b - a) * cols} values for rows ${a}–${b}`, `${x.length} values`);
    const [c0, width] = columns;
    const picked =
      width === cols
        ? x
        : Float32Array.from({ length: (b - a) * width }, (_, i) => x[Math.floor(i / width) * cols + c0 + (i % width)]);
    const f = bandFilter(
      { data: picked, rows: b - a, cols: width },
      { ...options, padtype: 'odd', precision: 'float64' },
    );
    return { data: f.data.subarray((lo - a) * width, (hi - a) * width), rows: hi - lo, cols: width };
  };
}

export interface WindowedBandOptions extends Omit<BandFilterOptions, 'precision' | 'padtype' | 'targetFs'> {
  /** LFP rows per window (default 60 000, a minute at 1 kHz). */
  windowRows?: number;
  /**
   * Seconds of band on each side of a window that its Hilbert transform also sees, tapered to zero
   * (default 5). Measured on theta (5–11 Hz, 1 kHz, a 200 s simulated LFP with noise and offset):
   * the analytic signal away from the recording's ends is within 5e-4 (1 s), 2e-4 (2 s), 8e-5 (5 s)
   * of its RMS amplitude of a 40 s margin's. Against bandAnalysis on the whole array the
   * difference is the whole array's FFT wrapping its far end around, ~1/(ω·distance to the nearest
   * end), whatever the margin: within 2.5e-3 of the RMS amplitude 5 s from the ends, 1.2e-3 at
   * 10 s, 6e-4 at 20 s; ~1e-2 within the first and last second (tested).
   */
  marginSeconds?: number;
}

/** One window of bandAnalysisInWindows: rows [start, stop) of the recording. */
export interface BandAnalysisWindow extends BandAnalysis<Float32Array> {
  start: number;
  stop: number;
}

/**
 * bandAnalysis on a long LFP read in windows, so memory holds a window (and its margins), never
 * the session: the band is the whole array's bit for bit (bandFilter with precision 'float64'),
 * phase and power are each window's Hilbert transform with `marginSeconds` of band around it
 * (tapered).
 *
 * @example
 * for await (const w of bandAnalysisInWindows({ rows, cols, read }, { fs: 1000, band: 'theta' }))
 *   await save(w.start, w.filtered, w.phase, w.power);
 */
export async function* bandAnalysisInWindows(
  lfp: RowReader,
  options: WindowedBandOptions,
): AsyncGenerator<BandAnalysisWindow> {
  const { windowRows: w, marginSeconds, ...band } = options;
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  const windowRows = checkNumber('windowRows', w ?? 60_000, { min: 1, integer: true });
  const margin = Math.ceil(fs * checkNumber('marginSeconds', marginSeconds ?? 5, { min: 0 }));
  const shift =
    checkChoice('phase', options.phase ?? 'spyglass', ['spyglass', 'signed'] as const) === 'spyglass' ? Math.PI : 0;
  const read = bandReader(lfp, band);
  const n = lfp.rows;
  for (let start = 0; start < n; start += windowRows) {
    const stop = Math.min(n, start + windowRows);
    const lo = Math.max(0, start - margin),
      hi = Math.min(n, stop + margin);
    const span = await read(lo, hi);
    const filtered = {
      data: span.data.subarray((start - lo) * span.cols, (stop - lo) * span.cols),
      rows: stop - start,
      cols: span.cols,
    };
    yield {
      start,
      stop,
      filtered,
      ...phasePower(hilbert(tapered(span, start - lo, stop - lo)), start - lo, stop - lo, shift),
    };
  }
}

/**
 * The span in float64 with its margins (rows before `from` and from `to`) raised-cosine tapered to
 * zero at its ends: no jump where its FFT wraps around, and a taper this slow (seconds) leaves the
 * band's analytic signal in [from, to) as it is (Bedrosian). Theta, 5 s margins, against 40 s
 * ones: 8e-5 of the RMS amplitude tapered, 2.7e-4 cut hard (tested).
 */
function tapered(span: Matrix<Float32Array>, from: number, to: number): Matrix<Float64Array> {
  const { rows, cols } = span;
  const out = Float64Array.from(span.data);
  const scale = (r: number, w: number) => {
    for (let c = 0; c < cols; c++) out[r * cols + c] *= w;
  };
  for (let r = 0; r < from; r++) scale(r, 0.5 - 0.5 * cos((Math.PI * (r + 0.5)) / from));
  for (let r = to; r < rows; r++) scale(r, 0.5 - 0.5 * cos((Math.PI * (rows - r - 0.5)) / (rows - to)));
  return { data: out, rows, cols };
}
