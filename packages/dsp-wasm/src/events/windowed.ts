import { ParameterError, checkChoice, checkNumber, median } from '@spyglass-wasm/core';
import { bandReader, type BandFilterOptions, type RowReader } from '../lfp/band.js';
import { type Block, blocksWithin, samplesIn } from './blocks.js';
import { type BandWindow, type EnvelopeOptions, kayConsensusWindow, smoothedEnvelopeWindow } from './consensus.js';
import { type DetectedEvent, type Settings, EventStream, checkLengths, traceMoments } from './detect-events.js';
import { Moments } from './moments.js';
import { KarlssonStream } from './karlsson-stream.js';
import { contextIn, frequencyAt } from './peak-frequency.js';
import { type RippleDetectorOptions, finiteRow, timelessSettings } from './ripple-detectors.js';

export interface WindowedRippleOptions extends RippleDetectorOptions {
  /** 'kay' (default, as kayRippleDetector) or 'karlsson' (as karlssonRippleDetector). */
  detector?: 'kay' | 'karlsson';
  /** The ripple band-pass (bandFilter's band, transition, attenuation), applied window by window in float64. */
  band: Pick<BandFilterOptions, 'band' | 'transition' | 'attenuation'>;
  /** LFP rows per window (default 60 000, a minute at 1 kHz). */
  windowRows?: number;
  /**
   * Seconds of band on each side of a window that its envelope also sees (default 1, at least
   * 8 smoothing σ). The envelope of a window then differs from the whole block's by the tail of
   * Hilbert's 1/t kernel beyond it: under 3e-7 of the trace's scale at 1 s, ~4e-6 at 50 ms (tested);
   * near a block's ends by the whole block's FFT wrapping its far end around, which a window's
   * does not; and wherever the band holds low frequencies the stopband let through (a 60 dB
   * stopband passes ~1e-3 of an LFP's DC offsets), whose envelope is not local. Tested: on
   * simulated sessions events identical, z within 5e-6 relative (Kay) and 5e-5 (Karlsson); on a
   * SpikeGLX LF recording with offsets of thousands of µV, z within 1e-2 and 3 of 47 Karlsson
   * event edges one sample apart.
   */
  marginSeconds?: number;
  /**
   * Instead of `time`: the times (s) of rows [a, b), read as the windows need them, so the
   * session's times are never whole in memory.
   */
  readTime?: (a: number, b: number) => ArrayLike<number> | Promise<ArrayLike<number>>;
  /** Instead of `speed`: the speed (cm/s, NaN missing) of rows [a, b), whose times are `time`. */
  readSpeed?: (a: number, b: number, time: Float64Array) => ArrayLike<number> | Promise<ArrayLike<number>>;
  /**
   * Bytes of RAM for the detector's traces kept from the first pass for the second: Kay's one
   * trace, 8 bytes per row; Karlsson's one per channel, 8 bytes per row and channel. Windows beyond
   * it are band-passed again instead, so memory stays within it at any duration; within it the
   * second pass costs no band or envelope. Same events either way. Default: the same duration for
   * both detectors, 8 M rows of every trace (2.2 h at 1 kHz: 64 MiB for Kay, 256 MiB for Karlsson
   * on 4 channels), at most 256 MiB (Karlsson on more channels: 9.3 h at 1 kHz / channels).
   */
  traceBudget?: number;
}

const WINDOWED_DEFAULTS = { windowRows: 60_000, marginSeconds: 1 };
/** The default trace budget keeps this many rows of every trace (2.2 h at 1 kHz)... */
const DEFAULT_TRACE_ROWS = 2 ** 23;
/** ...within this many bytes whatever the channel count (Karlsson's 4 channels for 2.2 h). */
const MAX_DEFAULT_TRACE_BUDGET = 256 * 2 ** 20;

/**
 * traceBudget's default for a detector keeping `traces` float64 traces per row (Kay 1, Karlsson
 * one per channel): the same rows for either, bounded in bytes.
 *
 * @example
 * defaultTraceBudget(1); // 64 MiB: Kay, 2.2 h at 1 kHz
 * defaultTraceBudget(4); // 256 MiB: Karlsson on 4 channels, 2.2 h too
 */
export function defaultTraceBudget(traces: number): number {
  return Math.min(8 * DEFAULT_TRACE_ROWS * traces, MAX_DEFAULT_TRACE_BUDGET);
}
/** medianStep's default sample of time steps (maxSteps). */
const MEDIAN_STEPS = 100_000;

type TimeReader = (a: number, b: number) => Promise<Float64Array>;
type SpeedReader = (a: number, b: number, time: Float64Array) => Promise<ArrayLike<number>>;

/**
 * kayRippleDetector / karlssonRippleDetector on the ripple band of a long LFP read in windows, so
 * memory holds a window of the LFP, never the band of the whole session. The band is exact (each
 * window filtered with the filter's reach of LFP on each side, 'odd' padding at the recording's
 * ends, float64 arithmetic: bandFilter with precision 'float64' on the whole); the envelope is the
 * block's within the window and `marginSeconds` around it.
 *
 * Neither detector holds anything per sample of the session: a first pass over the windows finds
 * the blocks and sums each trace's mean and SD exactly (Moments: Kay's one trace, Karlsson's
 * envelope per channel), a second hands each window's z-scores to the event core sample by sample
 * (EventStream; KarlssonStream, which thresholds the channels with their runs carried across
 * windows and keeps the largest z only as far back as an open run reaches), so events crossing a
 * window's edge are the whole trace's. The second pass reads the traces the first kept, up to
 * `traceBudget` bytes, and computes the windows beyond it again (2× the band and envelope's CPU
 * there); with `readTime` and `readSpeed` neither the times nor the speed are whole in memory either.
 *
 * @example
 * const events = await detectRipplesInWindows(
 *   { rows, cols, read: (a, b) => lfp.read('data', a, b) as Promise<Float32Array> },
 *   { fs: 1000, readTime: (a, b) => lfp.read('timestamps', a, b), speed, band: { band: [150, 250], transition: 25 } },
 * );
 */
export async function detectRipplesInWindows(lfp: RowReader, options: WindowedRippleOptions): Promise<DetectedEvent[]> {
  const n = checkNumber('rows', lfp.rows, { min: 0, integer: true });
  const { fs, sigma, s, envelope } = timelessSettings('filtered', options);
  checkLengths(n, options);
  const detector = checkChoice('detector', options.detector ?? 'kay', ['kay', 'karlsson'] as const);
  const windowRows = checkNumber('windowRows', options.windowRows ?? WINDOWED_DEFAULTS.windowRows, {
    min: 1,
    integer: true,
  });
  const margin = Math.ceil(
    fs * checkNumber('marginSeconds', options.marginSeconds ?? WINDOWED_DEFAULTS.marginSeconds, { min: 8 * sigma }),
  );
  const readTime = timeReader(n, options);
  const readSpeed = speedReader(options);
  const band = bandReader(lfp, { ...options.band, fs });
  const traces = detector === 'kay' ? 1 : lfp.cols;
  const traceBudget = checkNumber('traceBudget', options.traceBudget ?? defaultTraceBudget(traces), { min: 0 });
  const settings = { n, cols: lfp.cols, windowRows, margin, band, envelope, s, readTime, readSpeed, traceBudget };
  return inWindows(settings, options, detector === 'kay' ? kayDetector : karlssonDetector);
}

interface WindowSettings {
  n: number;
  cols: number;
  windowRows: number;
  margin: number;
  band: ReturnType<typeof bandReader>;
  envelope: EnvelopeOptions;
  s: Settings;
  readTime: TimeReader;
  readSpeed?: SpeedReader;
  traceBudget: number;
}

/** Rows [a, b) of an array as a Float64Array (a view when it is one). */
function rowsOf(x: ArrayLike<number>, a: number, b: number): Float64Array {
  return x instanceof Float64Array ? x.subarray(a, b) : Float64Array.from({ length: b - a }, (_, i) => x[a + i]);
}

/** The sample times of rows [a, b): `time`'s, `readTime`'s (checked), or startTime + i / fs. */
function timeReader(n: number, o: WindowedRippleOptions): TimeReader {
  const { time, readTime } = o;
  if (time && readTime) throw new ParameterError('readTime', 'time or readTime, not both', 'both');
  if (time) {
    if (time.length !== n) throw new ParameterError('time', `one time per sample (${n})`, `${time.length} times`);
    return async (a, b) => rowsOf(time, a, b);
  }
  if (readTime)
    return async (a, b) => {
      const t = await readTime(a, b);
      if (t.length !== b - a) throw new ParameterError('readTime', `${b - a} times for rows ${a}–${b}`, `${t.length}`);
      return rowsOf(t, 0, b - a);
    };
  const t0 = o.startTime ?? 0;
  return async (a, b) => Float64Array.from({ length: b - a }, (_, i) => t0 + (a + i) / o.fs);
}

/** The speed of rows [a, b): `speed`'s or `readSpeed`'s (checked); undefined without either. */
function speedReader(o: WindowedRippleOptions): SpeedReader | undefined {
  const { speed, readSpeed } = o;
  if (speed && readSpeed) throw new ParameterError('readSpeed', 'speed or readSpeed, not both', 'both');
  if (speed) return async (a, b) => rowsOf(speed, a, b);
  if (readSpeed)
    return async (a, b, time) => {
      const v = await readSpeed(a, b, time);
      if (v.length !== b - a)
        throw new ParameterError('readSpeed', `${b - a} speeds for rows ${a}–${b}`, `${v.length}`);
      return v;
    };
  return undefined;
}

/** medianStep of the times read in windows: the same steps sampled, the same median. */
export async function medianStepInWindows(readTime: TimeReader, n: number, windowRows: number): Promise<number> {
  if (n < 2) return NaN;
  const m = Math.min(n - 1, MEDIAN_STEPS),
    stride = (n - 1) / m;
  const steps = new Float64Array(m);
  let k = 0;
  for (let a = 1; a < n && k < m; a += windowRows) {
    const b = Math.min(n, a + windowRows);
    const t = await readTime(a - 1, b);
    for (let i = 1 + Math.floor(k * stride); k < m && i < b; i = 1 + Math.floor(++k * stride))
      steps[k] = t[i - a + 1] - t[i - a];
  }
  return median(steps);
}

/** One window of the detector's traces: rows [start, stop), and the times, speeds and valid flags of rows [lo, hi). */
interface TraceWindow extends SecondWindow {
  ok: Uint8Array;
}

/** What the second pass reads of a window. */
interface SecondWindow {
  start: number;
  stop: number;
  lo: number;
  time: Float64Array;
  speed?: ArrayLike<number>;
  /** Kay's trace, or Karlsson's smoothed envelope of each channel: rows [start, stop). */
  traces: Float64Array[];
}

const EMPTY: Float64Array[] = [];

/**
 * What a detector computes of a window and does with its z-scores: its traces (each z-scored with
 * its own mean and SD) and the event core they feed a sample at a time.
 */
interface WindowedDetector {
  traces(w: BandWindow): Float64Array[];
  /** Sample i of a block: the traces' z-scores there, its time and speed. */
  sample(i: number, z: Float64Array, time: number, speed: number): void;
  endBlock(i: number): void;
  events(): DetectedEvent[];
}

/** Kay's consensus trace into EventStream. */
function kayDetector(w: WindowSettings, minSamples: number): WindowedDetector {
  const stream = new EventStream(w.s, minSamples, Boolean(w.readSpeed));
  return {
    traces: (x) => [kayConsensusWindow(x, w.envelope)],
    sample: (i, z, time, speed) => stream.sample(i, z[0], time, speed),
    endBlock: (i) => stream.endBlock(i),
    events: () => stream.events(),
  };
}

/** Karlsson's smoothed envelope per channel (two to an FFT, as the whole-array detector) into KarlssonStream. */
function karlssonDetector(w: WindowSettings, minSamples: number): WindowedDetector {
  const stream = new KarlssonStream(w.cols, w.s, minSamples, Boolean(w.readSpeed));
  return {
    traces: (x) => {
      const out: Float64Array[] = [];
      for (let c0 = 0; c0 < w.cols; c0 += 2)
        out.push(...smoothedEnvelopeWindow(x, c0, Math.min(2, w.cols - c0), w.envelope));
      return out;
    },
    sample: (i, z, time, speed) => stream.sample(i, z, time, speed),
    endBlock: (i) => stream.endBlock(i),
    events: () => stream.events(),
  };
}

/**
 * Either detector in two passes over the windows, nothing per sample of the session kept but the
 * traces within the budget: the first finds the blocks and each trace's exact mean and SD, the
 * second z-scores the windows' traces and feeds them to the detector's event core in order.
 */
async function inWindows(
  w: WindowSettings,
  options: WindowedRippleOptions,
  make: (w: WindowSettings, minSamples: number) => WindowedDetector,
): Promise<DetectedEvent[]> {
  const { n, windowRows, margin, band, readTime, readSpeed } = w;
  const step = await medianStepInWindows(readTime, n, windowRows);
  const maxStep = n > 1 ? 1.5 * step : Infinity;
  const detector = make(w, n < 2 ? 1 : samplesIn(w.s.minimumDuration, step));
  async function traceWindow(start: number): Promise<TraceWindow> {
    const stop = Math.min(n, start + windowRows);
    const lo = Math.max(0, start - margin),
      hi = Math.min(n, stop + margin);
    const span = await band(lo, hi);
    const time = await readTime(lo, hi);
    const speed = readSpeed && (await readSpeed(lo, hi, time));
    const ok = new Uint8Array(hi - lo);
    for (let r = 0; r < ok.length; r++) ok[r] = finiteRow(span, r) && (!speed || Number.isFinite(speed[r])) ? 1 : 0;
    const blocks = blocksWithin(ok, time, 0, maxStep).map(([a, b]): Block => [a + lo, b + lo]);
    const traces = detector.traces({ span, lo, start, stop, blocks });
    return { start, stop, lo, time, speed, ok, traces };
  }
  // first pass: the recording's blocks (validBlocks, built row by row) and the traces' statistics;
  // the windows' traces kept while they fit the budget
  const blocks = new BlockList(maxStep);
  let moments: Moments[] = [];
  const kept: Float64Array[][] = [];
  let keptBytes = 0;
  for (let start = 0; start < n; start += windowRows) {
    const x = await traceWindow(start);
    blocks.add(x);
    if (moments.length === 0) moments = x.traces.map(() => new Moments());
    const ok = x.ok.subarray(x.start - x.lo, x.stop - x.lo);
    x.traces.forEach((t, k) => traceMoments(t, ok, x.start, options, moments[k]));
    const bytes = x.traces.reduce((sum, t) => sum + t.byteLength, 0);
    if (kept.length * windowRows === start && keptBytes + bytes <= w.traceBudget) {
      kept.push(x.traces);
      keptBytes += bytes;
    }
  }
  blocks.end(n);
  // a kept window's rows [start, stop) with their times and speeds read again (pointwise, cheap)
  async function secondLook(start: number): Promise<SecondWindow> {
    const traces = kept[start / windowRows];
    if (!traces) return traceWindow(start);
    const stop = Math.min(n, start + windowRows);
    const time = await readTime(start, stop);
    return { start, stop, lo: start, time, speed: readSpeed && (await readSpeed(start, stop, time)), traces };
  }
  // second pass: the same windows, their z-scores to the event core in order, block by block
  const stats = moments.map((m) => m.stats());
  const z = new Float64Array(stats.length);
  const list = blocks.blocks;
  let k = 0;
  for (let start = 0; start < n; start += windowRows) {
    const x = await secondLook(start);
    if (start / windowRows < kept.length) kept[start / windowRows] = EMPTY; // read once: free it
    while (k < list.length && list[k][1] <= x.start) k++;
    for (let j = k; j < list.length && list[j][0] < x.stop; j++) {
      const [a, b] = list[j];
      for (let i = Math.max(a, x.start); i < Math.min(b, x.stop); i++) {
        const r = i - x.lo;
        for (let c = 0; c < z.length; c++) z[c] = (x.traces[c][i - x.start] - stats[c].mean) / stats[c].std;
        detector.sample(i, z, x.time[r], x.speed ? x.speed[r] : NaN);
      }
      if (b <= x.stop) detector.endBlock(b);
    }
  }
  // each event's peak frequency from the band and times around its peak, read again
  const events = detector.events();
  k = 0;
  for (const e of events) {
    while (list[k][1] <= e.peakIndex) k++;
    const at = contextIn(list[k], blocks.firstTimes[k], blocks.lastTimes[k], e.peakIndex);
    e.peakFrequency = at
      ? frequencyAt(await band(at.from, at.to), await readTime(at.from, at.to), {
          dt: at.dt,
          from: 0,
          peakIndex: at.peakIndex - at.from,
        })
      : NaN;
  }
  return events;
}

/** validBlocks of a recording given window by window in order, with the times of each block's ends. */
class BlockList {
  readonly blocks: Block[] = [];
  readonly firstTimes: number[] = [];
  readonly lastTimes: number[] = [];
  private open = -1;
  private openTime = NaN;
  private previousTime = NaN;

  constructor(private readonly maxStep: number) {}

  /** Rows [x.start, x.stop). */
  add(x: Pick<TraceWindow, 'start' | 'stop' | 'lo' | 'time' | 'ok'>): void {
    for (let i = x.start; i < x.stop; i++) {
      const ok = x.ok[i - x.lo] === 1,
        t = x.time[i - x.lo];
      if (this.open >= 0 && (!ok || t - this.previousTime > this.maxStep)) this.close(i);
      if (ok && this.open < 0) [this.open, this.openTime] = [i, t];
      this.previousTime = t;
    }
  }

  /** The recording ends before row n. */
  end(n: number): void {
    if (this.open >= 0) this.close(n);
  }

  private close(i: number): void {
    this.blocks.push([this.open, i]);
    this.firstTimes.push(this.openTime);
    this.lastTimes.push(this.previousTime);
    this.open = -1;
  }
}
