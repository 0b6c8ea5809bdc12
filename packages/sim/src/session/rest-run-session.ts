import { ParameterError, checkNumber, createRng, type Rng, cos, sin } from '@spyglass-wasm/core';
import { drawUnits } from '../recording/simulate-recording.js';
import { trackLeds, type LedTracking, type LedTrackingOptions } from '../position/track-leds.js';
import { between, checkRange, drawRipples, poissonTimes, refractoryTrain, type Period } from './events.js';
import {
  renderTetrodes,
  streamTetrodes,
  tetrodeGroups,
  type ElectrodeGroupInfo,
  type RawRecording,
  type RawRecordingStream,
  type RippleEvent,
  type TetrodeUnit,
} from './render-tetrodes.js';

export interface RippleOptions {
  /** Ripples per second of rest, default 0.5. */
  rateHz?: number;
  /** Duration range (ms), default [30, 120]. */
  durationMs?: [number, number];
  /** Oscillation frequency range (Hz), default [150, 250]. */
  frequencyHz?: [number, number];
  /** Peak amplitude range on a tetrode of gain 1 (µV), default [40, 100]. */
  amplitudeUv?: [number, number];
  /** Probability that a unit fires in a ripple, default 0.5. */
  participation?: number;
  /** Mean extra spikes of a participating unit per ripple, default 2. */
  spikesPerRipple?: number;
  /**
   * Ripple-band bursts per second of running (mid-lap, at speed), default 0: events a speed gate
   * must reject. They are drawn after everything else (the default session is unchanged) and
   * listed in `truth.runEvents`, not in `truth.ripples`; no unit fires with them.
   */
  duringRunHz?: number;
}

export interface RestRunSessionOptions {
  seed?: number;
  /** Session length (s), default 120. */
  seconds?: number;
  /** Sampling rate (Hz), default 30000. */
  fs?: number;
  /** Tetrodes, default 4, with `unitsPerTetrode` units each (default 3). */
  nTetrodes?: number;
  unitsPerTetrode?: number;
  /** Linear track length (cm), default 200, and mean running speed (cm/s), default 30. */
  trackLengthCm?: number;
  runSpeedCmS?: number;
  /** Duration ranges of rest and run periods (s), defaults [10, 20] and [15, 30]; the session starts at rest. */
  restSeconds?: [number, number];
  runSeconds?: [number, number];
  ripples?: RippleOptions;
  /**
   * Camera tracking (trackLeds options; its seed defaults to one derived from `seed`, its noise
   * to a smooth 0.5 s drift so rest reads as ~2 cm/s; noiseTimeConstantS 0 for white noise).
   */
  tracking?: LedTrackingOptions;
  /** White noise SD (µV), default 12; theta amplitude while running (µV), default 40; slow LFP (µV RMS), default 25. */
  noiseUv?: number;
  thetaUv?: number;
  slowUv?: number;
  /**
   * Render the raw recording (default true); false gives spikes, ripples and position only;
   * 'stream' gives `recordingStream` instead of `recording` (rendered a window at a time when read).
   */
  raw?: boolean | 'stream';
}

/** A period of rest or running (s). */
export interface BehaviorPeriod extends Period {
  kind: 'rest' | 'run';
}

/** An epoch of a session (NWB's epochs table: interval and tags). */
export interface SessionEpoch extends Period {
  name: string;
  tags: string[];
}

/** The clean trajectory at the camera frames (cm, rad, cm/s). */
export interface CleanPosition {
  times: Float64Array;
  x: Float64Array;
  y: Float64Array;
  headDirection: Float64Array;
  speed: Float64Array;
}

export interface RestRunSession {
  description: string;
  /** Raw recording of the whole session (µV, time × channels); absent with `raw: false` or 'stream'. */
  recording?: RawRecording;
  /** The same recording read a window at a time (`raw: 'stream'`): chunks equal `recording`'s rows. */
  recordingStream?: RawRecordingStream;
  electrodeGroups: ElectrodeGroupInfo[];
  /** Raw two-LED tracking (noise, drops, swaps). */
  position: LedTracking;
  epochs: SessionEpoch[];
  truth: {
    units: TetrodeUnit[];
    ripples: RippleEvent[];
    /** Ripple-band bursts while running (`ripples.duringRunHz`): a speed gate must reject them. */
    runEvents: RippleEvent[];
    position: CleanPosition;
    periods: BehaviorPeriod[];
  };
}

/** Where the linear track lies in the camera's view (cm). */
const TRACK_X0 = 20,
  TRACK_Y = 60;

/**
 * A session alternating rest and running on a linear track, on tetrodes: simulateRecording's
 * units (refractory Poisson trains, biphasic waveforms), ripples (150–250 Hz bursts with extra
 * spiking) only during rest, theta while running, and the position as a two-LED camera tracker
 * reports it (trackLeds). The truth holds every spike, ripple, the clean position and the
 * rest/run periods.
 *
 * @example
 * const s = simulateRestRunSession({ seed: 1, seconds: 60 });
 * s.recording.data;        // µV, time × 16 channels
 * s.truth.ripples;         // only inside s.truth.periods of kind 'rest'
 * s.position.front.data;   // tracked front LED (cm), NaN where the camera lost it
 */
export function simulateRestRunSession(options: RestRunSessionOptions = {}): RestRunSession {
  const seed = options.seed ?? 1;
  const seconds = checkNumber('seconds', options.seconds ?? 120, { min: 1 });
  const fs = checkNumber('fs', options.fs ?? 30000, { min: 1000 });
  const nTetrodes = checkNumber('nTetrodes', options.nTetrodes ?? 4, { min: 1, integer: true });
  const perTetrode = checkNumber('unitsPerTetrode', options.unitsPerTetrode ?? 3, { min: 0, integer: true });
  const length = checkNumber('trackLengthCm', options.trackLengthCm ?? 200, { min: 10 });
  const speed = checkNumber('runSpeedCmS', options.runSpeedCmS ?? 30, { min: 1 });
  const restRange = checkRange('restSeconds', options.restSeconds ?? [10, 20], 1, Infinity);
  const runRange = checkRange('runSeconds', options.runSeconds ?? [15, 30], 1, Infinity);
  const rp = rippleSettings(options.ripples);
  const rng = createRng(seed);

  const { segments, periods } = restRunSchedule(rng.fork(), seconds, restRange, runRange, length, speed);
  const ripples = drawRipples(
    rng.fork(),
    periods.filter((p) => p.kind === 'rest'),
    rp,
  );
  const units = rippleUnits(rng.fork(), seconds, nTetrodes, perTetrode, ripples, rp);
  const trajectory = sampleTrajectory(segments, seconds, 120);
  const position = trackLeds(trajectory, { seed: (seed * 7 + 3) >>> 0, noiseTimeConstantS: 0.5, ...options.tracking });
  const runEvents =
    rp.duringRunHz > 0 ? drawRipples(rng.fork(), midLaps(segments), { ...rp, rateHz: rp.duringRunHz }) : [];
  const truth = { units, ripples, runEvents, position: cleanPosition(position, segments), periods };
  const render = {
    seed,
    fs,
    nTetrodes,
    start: 0,
    seconds,
    units,
    ripples: runEvents.length ? [...ripples, ...runEvents] : ripples,
    thetaPeriods: periods.filter((p) => p.kind === 'run'),
    noiseUv: options.noiseUv,
    thetaUv: options.thetaUv,
    slowUv: options.slowUv,
  };
  const raw = options.raw ?? true;
  if (raw !== true && raw !== false && raw !== 'stream')
    throw new ParameterError('raw', "true, false or 'stream'", raw);
  return {
    description: `simulated rest/run session on a ${length} cm linear track, seed ${seed}`,
    ...(raw === true ? { recording: renderTetrodes(render) } : {}),
    ...(raw === 'stream' ? { recordingStream: streamTetrodes(render) } : {}),
    electrodeGroups: tetrodeGroups(nTetrodes),
    position,
    epochs: [{ name: 'rest_run', start: 0, stop: seconds, tags: ['rest_run', 'linear_track'] }],
    truth,
  };
}

function rippleSettings(r: RippleOptions = {}) {
  return {
    rateHz: checkNumber('ripples.rateHz', r.rateHz ?? 0.5, { min: 0, exclusiveMin: true }),
    durationMs: checkRange('ripples.durationMs', r.durationMs ?? [30, 120], 5, 1000),
    frequencyHz: checkRange('ripples.frequencyHz', r.frequencyHz ?? [150, 250], 1, 1000),
    amplitudeUv: checkRange('ripples.amplitudeUv', r.amplitudeUv ?? [40, 100], 0, Infinity),
    participation: checkNumber('ripples.participation', r.participation ?? 0.5, { min: 0, max: 1 }),
    spikesPerRipple: checkNumber('ripples.spikesPerRipple', r.spikesPerRipple ?? 2, { min: 0 }),
    duringRunHz: checkNumber('ripples.duringRunHz', r.duringRunHz ?? 0, { min: 0 }),
  };
}

/** The middle of each lap (its first and last quarter cut), where the animal runs at speed. */
function midLaps(segments: readonly Segment[]): { start: number; stop: number }[] {
  return segments
    .filter((s) => s.x0 !== s.x1)
    .map((s) => ({ start: s.start + (s.stop - s.start) / 4, stop: s.stop - (s.stop - s.start) / 4 }));
}

/** A piece of the trajectory: still at x0, or a lap from x0 to x1 (cosine speed profile). */
interface Segment {
  start: number;
  stop: number;
  x0: number;
  x1: number;
  heading: number;
}

/** Rest and run periods alternating from rest; a run is whole laps, each followed by a short pause. */
function restRunSchedule(
  rng: Rng,
  seconds: number,
  rest: [number, number],
  run: [number, number],
  length: number,
  speed: number,
) {
  const segments: Segment[] = [],
    periods: BehaviorPeriod[] = [];
  let t = 0,
    x = 0,
    heading = 0,
    resting = true;
  while (t < seconds) {
    const start = t;
    if (resting) {
      t = Math.min(seconds, t + between(rng, rest));
      segments.push({ start, stop: t, x0: x, x1: x, heading });
    } else {
      const until = start + between(rng, run);
      while (t < until && t < seconds) {
        const target = x === 0 ? length : 0,
          lap = length / (speed * (0.7 + 0.6 * rng.uniform()));
        heading = target > x ? 0 : Math.PI;
        segments.push({ start: t, stop: t + lap, x0: x, x1: target, heading });
        const pause = 0.3 + 0.7 * rng.uniform();
        segments.push({ start: t + lap, stop: t + lap + pause, x0: target, x1: target, heading });
        ((t += lap + pause), (x = target));
      }
      t = Math.min(seconds, t);
    }
    periods.push({ kind: resting ? 'rest' : 'run', start, stop: t });
    resting = !resting;
  }
  return { segments, periods };
}

/** Track position (cm from its start) and speed (cm/s) at time t. */
function along(
  segments: readonly Segment[],
  t: number,
  hint: { i: number },
): { x: number; v: number; heading: number } {
  while (hint.i < segments.length - 1 && segments[hint.i].stop <= t) hint.i++;
  const s = segments[hint.i],
    T = s.stop - s.start;
  const f = Math.min(1, Math.max(0, (t - s.start) / T));
  const x = s.x0 + ((s.x1 - s.x0) * (1 - cos(Math.PI * f))) / 2;
  const v = (Math.abs(s.x1 - s.x0) * Math.PI * sin(Math.PI * f)) / (2 * T);
  return { x, v, heading: s.heading };
}

function sampleTrajectory(segments: readonly Segment[], seconds: number, rate: number) {
  const n = Math.floor(seconds * rate) + 1,
    hint = { i: 0 };
  const times = Float64Array.from({ length: n }, (_, i) => Math.min(seconds, i / rate));
  const x = new Float64Array(n),
    y = new Float64Array(n).fill(TRACK_Y),
    headDirection = new Float64Array(n);
  times.forEach((t, i) => {
    const p = along(segments, t, hint);
    ((x[i] = TRACK_X0 + p.x), (headDirection[i] = p.heading));
  });
  return { times, x, y, headDirection };
}

function cleanPosition(tracked: LedTracking, segments: readonly Segment[]): CleanPosition {
  const hint = { i: 0 };
  const speed = Float64Array.from(tracked.times, (t) => along(segments, t, hint).v);
  const { x, y, headDirection } = tracked.truth;
  return { times: tracked.times, x, y, headDirection, speed };
}

/** drawUnits' units on each tetrode, with extra spikes in ripples (refractoriness kept). */
function rippleUnits(
  rng: Rng,
  seconds: number,
  nTetrodes: number,
  perTetrode: number,
  ripples: readonly RippleEvent[],
  rp: ReturnType<typeof rippleSettings>,
): TetrodeUnit[] {
  const units: TetrodeUnit[] = [];
  for (let tet = 0; tet < nTetrodes; tet++) {
    for (const u of drawUnits({ seed: 0, seconds, units: perTetrode }, rng, 4)) {
      const times = Array.from(u.spikeTimes);
      for (const r of ripples) {
        if (rng.uniform() >= rp.participation) continue;
        poissonTimes(rng, rp.spikesPerRipple / (r.end - r.start), r.start, r.end, times);
      }
      units.push({ ...u, spikeTimes: refractoryTrain(times, 0.002), tetrode: tet });
    }
  }
  return units;
}
