import { ParameterError, checkNumber, cos, sin, pow } from '@spyglass-wasm/core';
import { checkOptionNames } from '@spyglass-wasm/core';
import { type WindowSpec, getWindow } from '../spectral/windows.js';

export interface FirwinOptions {
  /** Window (default 'hamming'); ['kaiser', beta] with kaiserord. */
  window?: WindowSpec;
  /** Whether DC is in the passband (default true: low-pass / band-stop). */
  pass_zero?: boolean | 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';
  /** Scale so the passband centre has unit gain (default true). */
  scale?: boolean;
  /** Sampling rate: cutoffs in Hz when given, else fractions of Nyquist. */
  fs?: number;
}

/**
 * Linear-phase FIR filter by the window method, like `scipy.signal.firwin`.
 *
 * @example
 * const { numtaps, beta } = kaiserord(120, 25 / (fs / 2));
 * const taps = firwin(numtaps | 1, 400, { window: ['kaiser', beta], fs });
 */
export function firwin(numtaps: number, cutoff: number | readonly number[], options: FirwinOptions = {}): Float64Array {
  checkOptionNames('firwin', options, ['window', 'pass_zero', 'scale', 'fs']);
  checkNumber('numtaps', numtaps, { min: 1, integer: true });
  const nyq = options.fs === undefined ? 1 : checkNumber('fs', options.fs, { min: 0, exclusiveMin: true }) / 2;
  const cuts = (typeof cutoff === 'number' ? [cutoff] : [...cutoff]).map((c) => c / nyq);
  if (cuts.length === 0 || cuts.some((c) => !(c > 0 && c < 1))) {
    throw new ParameterError(
      'cutoff',
      `frequencies in (0, ${nyq}) ${options.fs === undefined ? '(fractions of Nyquist)' : 'Hz'}`,
      cutoff,
    );
  }
  if (cuts.some((c, i) => i > 0 && c <= cuts[i - 1]))
    throw new ParameterError('cutoff', 'strictly increasing frequencies', cutoff);
  const pz = options.pass_zero ?? true;
  const passZero = typeof pz === 'boolean' ? pz : pz === 'lowpass' || pz === 'bandstop';
  const passNyquist = (cuts.length % 2 === 1) !== passZero;
  if (passNyquist && numtaps % 2 === 0) {
    throw new ParameterError(
      'numtaps',
      'an odd number for a filter that passes Nyquist (a highpass or bandstop)',
      numtaps,
    );
  }
  const edges = [...(passZero ? [0] : []), ...cuts, ...(passNyquist ? [1] : [])];
  const alpha = (numtaps - 1) / 2;
  const h = new Float64Array(numtaps);
  for (let i = 0; i < numtaps; i++) {
    const m = i - alpha;
    for (let b = 0; b < edges.length; b += 2)
      h[i] += edges[b + 1] * sinc(edges[b + 1] * m) - edges[b] * sinc(edges[b] * m);
  }
  const win = getWindow(options.window ?? 'hamming', numtaps, { periodic: false });
  for (let i = 0; i < numtaps; i++) h[i] *= win[i];
  if (options.scale ?? true) {
    const [left, right] = edges;
    const f = left === 0 ? 0 : right === 1 ? 1 : (left + right) / 2;
    let s = 0;
    for (let i = 0; i < numtaps; i++) s += h[i] * cos(Math.PI * (i - alpha) * f);
    for (let i = 0; i < numtaps; i++) h[i] /= s;
  }
  return h;
}

/** sin(πx)/(πx). */
function sinc(x: number): number {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return sin(y) / y;
}

/** Kaiser window β for a stopband attenuation of `a` dB (scipy.signal.kaiser_beta). */
export function kaiserBeta(a: number): number {
  if (a > 50) return 0.1102 * (a - 8.7);
  if (a > 21) return 0.5842 * pow(a - 21, 0.4) + 0.07886 * (a - 21);
  return 0;
}

/**
 * Taps and β of a Kaiser-window FIR filter for `ripple` dB attenuation and a transition `width`
 * as a fraction of Nyquist (scipy.signal.kaiserord).
 */
export function kaiserord(ripple: number, width: number): { numtaps: number; beta: number } {
  const a = Math.abs(checkNumber('ripple', ripple, {}));
  if (a < 8) throw new ParameterError('ripple', 'an attenuation of at least 8 dB', ripple);
  checkNumber('width', width, { min: 0, max: 1, exclusiveMin: true });
  const numtaps = (a - 7.95) / 2.285 / (Math.PI * width) + 1;
  return { numtaps: Math.ceil(numtaps), beta: kaiserBeta(a) };
}
