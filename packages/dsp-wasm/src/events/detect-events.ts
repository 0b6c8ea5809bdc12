import { ParameterError, checkChoice, checkNumber, checkOptionNames } from '@spyglass-wasm/core';
import { type Block, minimumSampleCount, sampleTimes, validBlocks } from './blocks.js';
import { CandidateFinder, type SampleRange } from './threshold.js';
import { Moments } from './moments.js';
import { zscore } from './zscore.js';

/**
 * Which speeds must be at or below the threshold: 'endpoints' (the event's first and last sample,
 * ripple_detection's exclude_movement and Spyglass's default), 'all' samples, or the 'mean'.
 */
export type SpeedRule = 'endpoints' | 'all' | 'mean';

/** One detected event, in the session's time base (seconds). */
export interface DetectedEvent {
  start: number;
  peak: number;
  end: number;
  /** end − start (times of the first and last sample). */
  duration: number;
  /** Sample indices of the first and last sample. */
  startIndex: number;
  endIndex: number;
  /** Largest and mean z-score in the event (the mean over its samples, first to last). */
  maxZscore: number;
  meanZscore: number;
  /** Mean speed during the event (NaN without speed). */
  meanSpeed: number;
  /** Sample index of the peak (the largest z-score). */
  peakIndex: number;
  /** Speed (cm/s) at the peak, first and last sample (NaN without speed). */
  speedAtPeak: number;
  speedAtStart: number;
  speedAtEnd: number;
  /**
   * Frequency at the peak (Hz): the band-passed LFP's mean Hilbert instantaneous frequency over the
   * 10 ms centred on the peak, on the channel with the largest amplitude there (see peakFrequency).
   * Ripple detectors only; NaN from detectEvents and multiunitHseDetector, which see no LFP.
   */
  peakFrequency: number;
}

/** The selection rules every detector shares (defaults: Spyglass's ripple defaults). */
export interface EventThresholds {
  /** z-score the trace must reach and hold for minimumDuration (default 2). */
  zscoreThreshold?: number;
  /**
   * Seconds the trace must stay at or above the threshold (default 0.015), counted in samples as
   * round(minimumDuration / median step); the event is then extended to the mean crossings.
   */
  minimumDuration?: number;
  /**
   * Speed (cm/s) per sample, aligned with the trace; NaN marks the sample missing. Pass a smoothed
   * speed (decoding's processPosition, or speedFromPosition), never frame-to-frame differences of
   * raw tracking: camera jitter of 0.5 cm at 30 Hz alone reads as ~25 cm/s and the gate would
   * reject nearly every true ripple at rest.
   */
  speed?: ArrayLike<number>;
  /** Default 4 cm/s; a sample is still when speed ≤ threshold. */
  speedThreshold?: number;
  speedRule?: SpeedRule;
  /** Events starting less than this many seconds after the last kept event's end are dropped (default 0). */
  closeEventThreshold?: number;
  /** Samples the mean and std come from (default: all valid samples). */
  normalizationMask?: ArrayLike<boolean>;
}

export interface Settings {
  threshold: number;
  minimumDuration: number;
  speedThreshold: number;
  close: number;
  rule: SpeedRule;
}

export function eventSettings(o: EventThresholds): Settings {
  return {
    threshold: checkNumber('zscoreThreshold', o.zscoreThreshold ?? 2, { min: 0 }),
    minimumDuration: checkNumber('minimumDuration', o.minimumDuration ?? 0.015, { min: 0 }),
    speedThreshold: checkNumber('speedThreshold', o.speedThreshold ?? 4, { min: 0 }),
    close: checkNumber('closeEventThreshold', o.closeEventThreshold ?? 0, { min: 0 }),
    rule: checkChoice('speedRule', o.speedRule ?? 'endpoints', ['endpoints', 'all', 'mean'] as const),
  };
}

/** Checks lengths and returns which samples are usable: finite trace value(s) and finite speed. */
export function validSamples(n: number, o: EventThresholds, finite: (i: number) => boolean): Uint8Array {
  checkLengths(n, o);
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) valid[i] = finite(i) && (!o.speed || Number.isFinite(o.speed[i])) ? 1 : 0;
  return valid;
}

/** Checks that speed and normalizationMask have one value per sample. */
export function checkLengths(n: number, o: EventThresholds): void {
  if (o.speed && o.speed.length !== n)
    throw new ParameterError('speed', `one speed per sample (${n})`, `${o.speed.length} values`);
  if (o.normalizationMask && o.normalizationMask.length !== n) {
    throw new ParameterError('normalizationMask', `one flag per sample (${n})`, `${o.normalizationMask.length} flags`);
  }
}

/** z-score over the valid samples (and the normalization mask), NaN elsewhere. */
export function normalize(trace: ArrayLike<number>, valid: Uint8Array, o: EventThresholds): Float64Array {
  const given = o.normalizationMask;
  const mask = given ? valid.map((v, i) => (v === 1 && given[i] ? 1 : 0)) : valid;
  const z = zscore(trace, { mask });
  for (let i = 0; i < z.length; i++) if (!valid[i]) z[i] = NaN;
  return z;
}

/**
 * Adds to `moments` the samples normalize takes its mean and SD from (zscore's are Moments too), of
 * rows [at, at + trace.length) (`valid` theirs; the normalization mask indexed by row): valid, in
 * the mask, not NaN.
 */
export function traceMoments(
  trace: ArrayLike<number>,
  valid: ArrayLike<number>,
  at: number,
  o: EventThresholds,
  moments = new Moments(),
): Moments {
  const mask = o.normalizationMask;
  for (let i = 0; i < trace.length; i++)
    if (valid[i] && (!mask || mask[at + i]) && !Number.isNaN(trace[i])) moments.add(trace[i]);
  return moments;
}

/**
 * The statistics of one candidate's samples, added first to last: what the speed gate, the
 * close-event rule and the event's fields need, so a candidate is finished without its samples.
 */
export class EventStats {
  sum = 0;
  max = -Infinity;
  argmax = 0;
  sumSpeed = 0;
  allStill = true;
  firstTime = 0;
  firstSpeed = NaN;
  lastTime = 0;
  lastSpeed = NaN;
  peakTime = 0;
  peakSpeed = NaN;

  constructor(private readonly speedThreshold: number) {}

  /** Starts over at the candidate's first sample, `i`. */
  begin(i: number, time: number, speed: number): void {
    this.sum = 0;
    this.max = -Infinity;
    this.argmax = i;
    this.sumSpeed = 0;
    this.allStill = true;
    this.firstTime = time;
    this.firstSpeed = speed;
  }

  /** Sample `i`: its z-score, time and speed (NaN without speed). */
  add(i: number, z: number, time: number, speed: number): void {
    this.sum += z;
    if (z > this.max) {
      this.max = z;
      this.argmax = i;
      this.peakTime = time;
      this.peakSpeed = speed;
    }
    this.sumSpeed += speed;
    if (!(speed <= this.speedThreshold)) this.allStill = false;
    this.lastTime = time;
    this.lastSpeed = speed;
  }
}

/**
 * The steps after thresholding that every detector shares, a candidate at a time in order: the
 * speed gate ('endpoints', 'all' or 'mean' still), then dropping events that start within
 * closeEventThreshold of the last kept one (a gap equal to it is kept), then the event from its
 * statistics. The one place these rules live: finishEvents, EventStream and Karlsson's channels
 * (whole or windowed) all finish through it.
 */
export class EventFinisher {
  readonly events: DetectedEvent[] = [];

  constructor(
    private readonly s: Settings,
    private readonly gated: boolean,
  ) {}

  /** Candidate [a, b] with the statistics of its samples. */
  offer(a: number, b: number, st: EventStats): void {
    const { s, gated } = this;
    const n = b - a + 1;
    if (gated && !this.still(st, n)) return;
    const previous = this.events[this.events.length - 1];
    const gap = previous ? st.firstTime - previous.end : Infinity;
    if (previous && gap < s.close && !(Math.abs(gap - s.close) <= 1e-9 * s.close)) return;
    this.events.push({
      start: st.firstTime,
      peak: st.peakTime,
      end: st.lastTime,
      duration: st.lastTime - st.firstTime,
      startIndex: a,
      endIndex: b,
      maxZscore: st.max,
      meanZscore: st.sum / n,
      meanSpeed: gated ? st.sumSpeed / n : NaN,
      peakIndex: st.argmax,
      speedAtPeak: gated ? st.peakSpeed : NaN,
      speedAtStart: gated ? st.firstSpeed : NaN,
      speedAtEnd: gated ? st.lastSpeed : NaN,
      peakFrequency: NaN,
    });
  }

  /** The speed gate: a sample is still when its speed ≤ the threshold. */
  private still(st: EventStats, n: number): boolean {
    const { speedThreshold, rule } = this.s;
    if (rule === 'endpoints') return st.firstSpeed <= speedThreshold && st.lastSpeed <= speedThreshold;
    return rule === 'all' ? st.allStill : st.sumSpeed / n <= speedThreshold;
  }
}

/**
 * EventFinisher on candidates whose samples are at hand: each candidate's statistics from `z`,
 * `time` and `speed`, in order.
 */
export function finishEvents(
  candidates: SampleRange[],
  z: ArrayLike<number>,
  time: ArrayLike<number>,
  s: Settings,
  speed?: ArrayLike<number>,
): DetectedEvent[] {
  const finisher = new EventFinisher(s, Boolean(speed));
  const stats = new EventStats(s.speedThreshold);
  for (const [a, b] of candidates) {
    stats.begin(a, time[a], speed ? speed[a] : NaN);
    for (let i = a; i <= b; i++) stats.add(i, z[i], time[i], speed ? speed[i] : NaN);
    finisher.offer(a, b, stats);
  }
  return finisher.events;
}

/** Options of {@link detectEvents}: the thresholds, and the sample times (`time`, or `fs` and `startTime`). */
export interface DetectEventsOptions extends EventThresholds {
  /** Time (s) of each sample; else startTime + i / fs. */
  time?: ArrayLike<number>;
  /** Sampling rate (Hz) when `time` is not given. */
  fs?: number;
  /** Time (s) of the first sample with `fs` (default 0). */
  startTime?: number;
}

const DETECT_EVENTS_OPTIONS: readonly (keyof DetectEventsOptions)[] = [
  'time',
  'fs',
  'startTime',
  'zscoreThreshold',
  'minimumDuration',
  'speed',
  'speedThreshold',
  'speedRule',
  'closeEventThreshold',
  'normalizationMask',
];

/**
 * The event core every detector shares, on a smoothed envelope or rate: z-score over the valid
 * samples, keep each run at or above the threshold that lasts the minimum duration, extend it to
 * where the trace returns to its mean, drop events with movement and events too close to the
 * previous one. NaN in the trace or speed marks a sample missing; missing samples and time gaps
 * (> 1.5 median steps) split the trace into blocks, and no event spans a block boundary.
 *
 * @example
 * const events = detectEvents(smoothedPower, { time, zscoreThreshold: 2, minimumDuration: 0.015, speed });
 * const same = detectEvents(smoothedPower, { fs: 1000, startTime: 0, speed }); // times from the rate
 */
export function detectEvents(trace: ArrayLike<number>, options: DetectEventsOptions): DetectedEvent[] {
  checkOptionNames('detectEvents', options, DETECT_EVENTS_OPTIONS);
  const n = trace.length;
  if (options?.time === undefined && options?.fs === undefined)
    throw new ParameterError('time', 'sample times (or a sampling rate, fs)', 'neither');
  const fs = options.time === undefined ? checkNumber('fs', options.fs, { min: 0, exclusiveMin: true }) : NaN;
  const time = sampleTimes(n, { ...options, fs });
  const s = eventSettings(options);
  const valid = validSamples(n, options, (i) => Number.isFinite(trace[i]));
  return detectOnBlocks(trace, time, valid, validBlocks(valid, time), s, options);
}

/** detectEvents for a trace whose validity and blocks are already known. */
export function detectOnBlocks(
  trace: ArrayLike<number>,
  time: ArrayLike<number>,
  valid: Uint8Array,
  blocks: Block[],
  s: Settings,
  o: EventThresholds,
): DetectedEvent[] {
  if (blocks.length === 0) return [];
  const z = normalize(trace, valid, o);
  const stream = new EventStream(s, minimumSampleCount(time, s.minimumDuration), Boolean(o.speed));
  for (const [start, stop] of blocks) {
    for (let i = start; i < stop; i++) stream.sample(i, z[i], time[i], o.speed ? o.speed[i] : NaN);
    stream.endBlock(stop);
  }
  return stream.events();
}

/**
 * The event core on a z-score handed over a sample at a time, in order: each block's samples
 * (`sample`) then its end (`endBlock`); CandidateFinder's thresholds and EventFinisher's gate,
 * close-event rule and statistics. Only the open above-mean run's running sums are kept, never the
 * trace, so memory does not grow with the recording. detectOnBlocks feeds it a whole z, Kay's
 * windowed detector a window at a time: the same events either way, bit for bit.
 */
export class EventStream {
  private readonly finisher: EventFinisher;
  private readonly finder: CandidateFinder;
  // the open above-mean run's statistics: the candidate's, should the run become one
  private readonly stats: EventStats;

  constructor(s: Settings, minSamples: number, gated: boolean) {
    this.finisher = new EventFinisher(s, gated);
    this.stats = new EventStats(s.speedThreshold);
    this.finder = new CandidateFinder(s.threshold, minSamples, (a, b) => this.finisher.offer(a, b, this.stats));
  }

  /** Sample `i` of a block: its z-score, time and speed (NaN when not gated). */
  sample(i: number, z: number, time: number, speed: number): void {
    const { finder, stats } = this;
    finder.sample(i, z);
    if (finder.meanStart < 0) return;
    if (finder.meanStart === i) stats.begin(i, time, speed);
    stats.add(i, z, time, speed);
  }

  /** The block ends before sample `i`. */
  endBlock(i: number): void {
    this.finder.endBlock(i);
  }

  /** The events so far (all of them once the last block has ended). */
  events(): DetectedEvent[] {
    return this.finisher.events;
  }
}
