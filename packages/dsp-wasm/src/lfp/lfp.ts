import { ParameterError, allocLike, checkNumber, mergeIntervals, type FloatArray, type Matrix, type MatrixInput } from '@spyglass-wasm/core';
import { FirFilter, firFilter } from '../filter/fir-filter.js';
import { firwin, kaiserord } from '../filter/firwin.js';
import { signalIO } from '../lib/signal-io.js';
import { sampleTimes, validBlocks } from '../events/blocks.js';

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
  /** Only samples inside these [start, end] intervals (seconds) are used, as Spyglass's LFP interval list. */
  validTimes?: readonly (readonly [number, number])[];
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

/** LFP: data (time × channels, the input's kind), its rate, and the time of each output sample. */
export interface LfpResult<D> {
  data: D;
  fs: number;
  timestamps: Float64Array;
}

/**
 * Low-pass and decimate raw ephys to LFP in one FFT pass (see lfpDesign), zero-phase, the output
 * sample j of a segment at input sample j·q's time. As Spyglass filters each valid interval on
 * its own, the input is split into segments at time gaps (> 1.5 median steps), at rows with a
 * non-finite sample and outside `validTimes`; each segment is filtered separately (no transient
 * crosses a gap, NaN never spreads) and the outputs are concatenated: `timestamps` show the gaps.
 * A rate that is not a multiple of 1 kHz gives fs / round(fs / 1000) (29 970 Hz → 999 Hz).
 *
 * @example
 * const { data, fs, timestamps } = lfp(raw, { fs: 30000 }); // 1 kHz LFP
 */
export function lfp<T extends FloatArray>(x: T, options: LfpOptions): LfpResult<T>;
export function lfp<T extends FloatArray>(x: MatrixInput<T>, options: LfpOptions): LfpResult<Matrix<T>>;
export function lfp<T extends FloatArray>(x: MatrixInput<T>, options: LfpOptions): LfpResult<T | Matrix<T>> {
  const design = lfpDesign(options);
  const { m, wrap } = signalIO(x);
  if (options.timestamps && options.timestamps.length !== m.rows) {
    throw new ParameterError('timestamps', `one per sample (${m.rows})`, `${options.timestamps.length}`);
  }
  const time = sampleTimes(m.rows, { fs: options.fs, time: options.timestamps, startTime: options.startTime });
  const valid = new Uint8Array(m.rows);
  const intervals = options.validTimes ? mergeIntervals(options.validTimes) : undefined;
  for (let r = 0, k = 0; r < m.rows; r++) {
    while (intervals && k < intervals.length && intervals[k][1] < time[r]) k++; // times increase
    let ok = !intervals || (k < intervals.length && time[r] >= intervals[k][0]);
    for (let c = 0; ok && c < m.cols; c++) ok = Number.isFinite(m.data[r * m.cols + c]);
    valid[r] = ok ? 1 : 0;
  }
  const segments = validBlocks(valid, time);
  const parts = segments.map(([a, b]) => firFilter(design.taps, { data: m.data.subarray(a * m.cols, b * m.cols) as T, rows: b - a, cols: m.cols }, { decimate: design.q }));
  const rows = parts.reduce((s, p) => s + p.rows, 0);
  const out = allocLike(m.data, rows, m.cols);
  const timestamps = new Float64Array(rows);
  let at = 0;
  parts.forEach((p, k) => {
    out.data.set(p.data, at * m.cols);
    for (let j = 0; j < p.rows; j++) timestamps[at + j] = time[segments[k][0] + j * design.q];
    at += p.rows;
  });
  return { data: wrap(out.data, rows), fs: design.outFs, timestamps };
}

/**
 * The streaming form of `lfp` for long recordings: feed raw chunks, get LFP chunks, bounded memory.
 * Concatenated output equals `lfp` on the whole for contiguous, finite data (feed each valid
 * interval through its own LfpFilter).
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

  process(chunk: MatrixInput<T>): LfpResult<Matrix<T>> {
    return this.wrap(this.fir.process(chunk));
  }

  flush(): LfpResult<Matrix<T>> {
    return this.wrap(this.fir.flush());
  }

  private wrap(data: Matrix<T>): LfpResult<Matrix<T>> {
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
