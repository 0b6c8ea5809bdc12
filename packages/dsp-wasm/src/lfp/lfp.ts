import { ParameterError, checkNumber, type FloatArray, type Matrix, type MatrixInput } from '@spyglass-wasm/core';
import { FirFilter, firFilter } from '../filter/fir-filter.js';
import { firwin, kaiserord } from '../filter/firwin.js';
import { signalIO } from '../lib/signal-io.js';

export interface LfpOptions {
  /** Sampling rate the data really has, Hz (from the file, not a table of nominal rates). */
  fs: number;
  /** Target rate (default 1000 Hz); the decimation factor is round(fs / target). */
  targetFs?: number;
  /** Passband edge (default 400 Hz) and stopband edge (default 425 Hz). */
  passband?: number;
  stopband?: number;
  /** Stopband attenuation (default 120 dB). */
  attenuation?: number;
  /** Input sample times (seconds); else startTime + i / fs. */
  timestamps?: ArrayLike<number>;
  startTime?: number;
}

/** The LFP filter's design for a sampling rate: taps and decimation factor. */
export interface LfpDesign {
  taps: Float64Array;
  q: number;
  /** Output rate fs / q (equal to the target when fs is a multiple of it). */
  outFs: number;
}

/**
 * Spyglass's LFP filter for the real sampling rate: Kaiser-window low-pass, passband to 400 Hz,
 * stopband from 425 Hz at 120 dB (cutoff mid-transition), length from kaiserord, odd so the
 * zero-phase delay is whole; decimation q = round(fs / 1000).
 */
export function lfpDesign(options: Pick<LfpOptions, 'fs' | 'targetFs' | 'passband' | 'stopband' | 'attenuation'>): LfpDesign {
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  const target = checkNumber('targetFs', options.targetFs ?? 1000, { min: 0, exclusiveMin: true });
  const pass = checkNumber('passband', options.passband ?? 400, { min: 0, exclusiveMin: true });
  const stop = checkNumber('stopband', options.stopband ?? 425, { min: pass, exclusiveMin: true });
  if (stop >= fs / 2) throw new ParameterError('fs', `a rate above 2 × stopband = ${2 * stop} Hz`, fs);
  const q = Math.max(1, Math.round(fs / target));
  if (stop > fs / q / 2) throw new ParameterError('targetFs', `a rate above 2 × stopband = ${2 * stop} Hz after decimating by ${q}`, target);
  const { numtaps, beta } = kaiserord(options.attenuation ?? 120, (stop - pass) / (fs / 2));
  return { taps: firwin(numtaps | 1, (pass + stop) / 2, { window: ['kaiser', beta], fs }), q, outFs: fs / q };
}

/** LFP: data (time × channels), its rate, and the time of each output sample. */
export interface LfpResult<T extends FloatArray> {
  data: Matrix<T>;
  fs: number;
  timestamps: Float64Array;
}

/**
 * Low-pass and decimate raw ephys to LFP in one FFT pass (see lfpDesign), zero-phase, the output
 * sample j at input sample j·q's time.
 *
 * @example
 * const { data, fs, timestamps } = lfp(raw, { fs: 30000 }); // 1 kHz LFP
 */
export function lfp<T extends FloatArray>(x: MatrixInput<T>, options: LfpOptions): LfpResult<T> {
  const design = lfpDesign(options);
  const { m } = signalIO(x);
  if (options.timestamps && options.timestamps.length !== m.rows) {
    throw new ParameterError('timestamps', `one per sample (${m.rows})`, `${options.timestamps.length}`);
  }
  const data = firFilter(design.taps, m, { decimate: design.q });
  return { data, fs: design.outFs, timestamps: outputTimes(0, data.rows, design.q, options) };
}

/**
 * The streaming form of `lfp` for long recordings: feed raw chunks, get LFP chunks, bounded memory.
 * Concatenated output equals `lfp` on the whole.
 */
export class LfpFilter<T extends FloatArray = Float32Array> {
  readonly design: LfpDesign;
  private readonly fir: FirFilter<T>;
  private readonly options: LfpOptions;
  private produced = 0;

  constructor(channels: number, options: LfpOptions) {
    this.design = lfpDesign(options);
    this.options = options;
    this.fir = new FirFilter<T>(this.design.taps, channels, { decimate: this.design.q });
  }

  process(chunk: MatrixInput<T>): LfpResult<T> {
    return this.wrap(this.fir.process(chunk));
  }

  flush(): LfpResult<T> {
    return this.wrap(this.fir.flush());
  }

  private wrap(data: Matrix<T>): LfpResult<T> {
    const timestamps = outputTimes(this.produced, data.rows, this.design.q, this.options);
    this.produced += data.rows;
    return { data, fs: this.design.outFs, timestamps };
  }
}

function outputTimes(first: number, count: number, q: number, o: LfpOptions): Float64Array {
  const t = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const i = (first + j) * q;
    t[j] = o.timestamps ? o.timestamps[i] : (o.startTime ?? 0) + i / o.fs;
  }
  return t;
}
