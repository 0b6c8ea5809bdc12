import {
  ParameterError,
  allocLike,
  checkNumber,
  mergeIntervals,
  type Interval,
  type FloatArray,
  type Matrix,
  type MatrixInput,
  medianStep,
} from '@spyglass-wasm/core';
import { FirFilter, firFilter } from '../filter/fir-filter.js';
import { firwin, kaiserord } from '../filter/firwin.js';
import { signalIO } from '../lib/signal-io.js';
import { sampleTimes, validBlocks } from '../events/blocks.js';

export interface LfpOptions {
  /** Sampling rate the data really has, Hz (from the file, not a table of nominal rates). */
  fs: number;
  /**
   * Target rate (default 1000 Hz); the decimation factor is round(fs / target), lowered where the
   * output would not hold the stopband (2500 Hz → q 2, 1250 Hz).
   */
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
 * zero-phase delay is whole; decimation q = round(fs / 1000), lowered until the output holds the
 * stopband.
 */
export function lfpDesign(
  options: Pick<LfpOptions, 'fs' | 'targetFs' | 'passband' | 'stopband' | 'attenuation'>,
): LfpDesign {
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  const target = checkNumber('targetFs', options.targetFs ?? 1000, { min: 0, exclusiveMin: true });
  const pass = checkNumber('passband', options.passband ?? 400, { min: 0, exclusiveMin: true });
  const stop = checkNumber('stopband', options.stopband ?? 425, { min: pass, exclusiveMin: true });
  if (stop >= fs / 2) throw new ParameterError('fs', `a rate above 2 × stopband = ${2 * stop} Hz`, fs);
  // round(fs / target), lowered where the output would not hold the stopband (2.5 kHz Neuropixels
  // LF: q 3 → 833 Hz < 2 × 425; q 2 → 1250 Hz), as Spyglass's floor(fs / 1000) does there
  const q = Math.max(1, Math.min(Math.round(fs / target), Math.floor(fs / (2 * stop))));
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
  // The common call (evenly sampled, no intervals, every sample finite) is one segment: no
  // per-row times, validity or gap scan, and the filter's output is the result (no copy).
  if (!options.timestamps && !options.validTimes && allFinite(m.data, m.rows * m.cols)) {
    const y = firFilter(design.taps, m, { decimate: design.q });
    const t0 = options.startTime ?? 0;
    const timestamps = Float64Array.from({ length: y.rows }, (_, j) => t0 + (j * design.q) / options.fs);
    return { data: wrap(y.data, y.rows), fs: design.outFs, timestamps };
  }
  const time = sampleTimes(m.rows, { fs: options.fs, time: options.timestamps, startTime: options.startTime });
  const valid = new Uint8Array(m.rows);
  const intervals = options.validTimes ? mergeIntervals(options.validTimes) : undefined;
  for (let r = 0, k = 0; r < m.rows; r++) {
    while (intervals && k < intervals.length && intervals[k][1] < time[r]) k++; // times increase
    const ok = !intervals || (k < intervals.length && time[r] >= intervals[k][0]);
    valid[r] = ok && rowFinite(m.data, r, m.cols) ? 1 : 0;
  }
  const segments = validBlocks(valid, time);
  const parts = segments.map(([a, b]) =>
    firFilter(
      design.taps,
      { data: m.data.subarray(a * m.cols, b * m.cols) as T, rows: b - a, cols: m.cols },
      { decimate: design.q },
    ),
  );
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
 * Like `lfp`, it starts a new segment (its own filter, flushed at the end of the previous one) at
 * every time gap (> 1.5 × the median step of `timestamps`), drops rows with a non-finite sample or
 * outside `validTimes`, and restarts the decimation grid at each segment's first sample, so the
 * concatenated output equals `lfp` on the whole.
 *
 * @example
 * const f = new LfpFilter(64, { fs: 30000, timestamps });
 * for await (const chunk of series.chunks()) write(f.process(chunk.data));
 * write(f.flush());
 */
export class LfpFilter<T extends FloatArray = Float32Array> {
  readonly design: LfpDesign;
  private readonly channels: number;
  private readonly options: LfpOptions;
  private readonly maxStep: number;
  private readonly intervals?: Interval[];
  private fir?: FirFilter<T>; // the open segment's filter
  private segStart = 0; // input index of the open segment's first sample
  private segOut = 0; // outputs the open segment has produced
  private seen = 0; // input rows consumed
  private lastTime = NaN;
  private interval = 0;
  private like: FloatArray = new Float32Array(0); // the input's element type, for empty outputs

  constructor(channels: number, options: LfpOptions) {
    this.design = lfpDesign(options);
    this.channels = checkNumber('channels', channels, { min: 1, integer: true });
    this.options = options;
    this.maxStep =
      options.timestamps && options.timestamps.length > 1 ? 1.5 * medianStep(options.timestamps) : Infinity;
    this.intervals = options.validTimes ? mergeIntervals(options.validTimes) : undefined;
  }

  process(chunk: MatrixInput<T>): LfpResult<Matrix<T>> {
    const { m } = signalIO(chunk, 'chunk');
    if (m.cols !== this.channels) throw new ParameterError('chunk', `${this.channels} channels`, `${m.cols} channels`);
    if (this.options.timestamps && this.seen + m.rows > this.options.timestamps.length) {
      throw new ParameterError(
        'timestamps',
        `a time for every sample fed (${this.seen + m.rows})`,
        `${this.options.timestamps.length} times`,
      );
    }
    this.like = m.data as T;
    const parts: LfpResult<Matrix<T>>[] = [];
    let run = this.fir ? 0 : -1; // first row of this chunk not yet fed to the open segment
    for (let r = 0; r < m.rows; r++) {
      const t = this.time(this.seen + r);
      const ok = this.valid(m, r, t);
      if (this.fir && (!ok || t - this.lastTime > this.maxStep)) {
        if (run < r) parts.push(this.feed(m, run, r));
        parts.push(this.close());
        run = -1;
      }
      if (ok && !this.fir) {
        this.fir = new FirFilter<T>(this.design.taps, this.channels, { decimate: this.design.q });
        [this.segStart, this.segOut, run] = [this.seen + r, 0, r];
      }
      if (ok) this.lastTime = t;
    }
    if (this.fir && run >= 0 && run < m.rows) parts.push(this.feed(m, run, m.rows));
    this.seen += m.rows;
    return this.join(parts, m.data);
  }

  flush(): LfpResult<Matrix<T>> {
    return this.join(this.fir ? [this.close()] : [], this.like);
  }

  private time(i: number): number {
    return this.options.timestamps ? this.options.timestamps[i] : (this.options.startTime ?? 0) + i / this.options.fs;
  }

  private valid(m: Matrix, r: number, t: number): boolean {
    const iv = this.intervals;
    if (iv) {
      while (this.interval < iv.length && iv[this.interval][1] < t) this.interval++; // times increase
      if (this.interval >= iv.length || t < iv[this.interval][0]) return false;
    }
    return rowFinite(m.data, r, m.cols);
  }

  private feed(m: Matrix, a: number, b: number): LfpResult<Matrix<T>> {
    return this.stamp(
      this.fir!.process({ data: m.data.subarray(a * m.cols, b * m.cols) as T, rows: b - a, cols: m.cols }),
    );
  }

  private close(): LfpResult<Matrix<T>> {
    const out = this.stamp(this.fir!.flush());
    this.fir = undefined;
    return out;
  }

  private stamp(data: Matrix<T>): LfpResult<Matrix<T>> {
    const timestamps = new Float64Array(data.rows);
    for (let j = 0; j < data.rows; j++) timestamps[j] = this.time(this.segStart + (this.segOut + j) * this.design.q);
    this.segOut += data.rows;
    return { data, fs: this.design.outFs, timestamps };
  }

  private join(parts: LfpResult<Matrix<T>>[], like: FloatArray): LfpResult<Matrix<T>> {
    const rows = parts.reduce((n, p) => n + p.data.rows, 0);
    const out = allocLike(parts.find((p) => p.data.rows > 0)?.data.data ?? (like as T), rows, this.channels);
    const timestamps = new Float64Array(rows);
    let at = 0;
    for (const p of parts) {
      out.data.set(p.data.data.subarray(0, p.data.rows * this.channels), at * this.channels);
      timestamps.set(p.timestamps, at);
      at += p.data.rows;
    }
    return { data: out as Matrix<T>, fs: this.design.outFs, timestamps };
  }
}

/** Whether row r holds only finite values: v · 0 is 0 for finite v, NaN for ±Infinity and NaN. */
/** Whether the first n values are all finite (x · 0 is 0 for finite x, NaN otherwise). */
function allFinite(data: FloatArray, n: number): boolean {
  let s = 0;
  for (let i = 0; i < n; i++) s += data[i] * 0;
  return s === 0;
}

function rowFinite(data: ArrayLike<number>, r: number, cols: number): boolean {
  let s = 0;
  for (let i = r * cols, end = i + cols; i < end; i++) s += data[i] * 0;
  return s === 0;
}
