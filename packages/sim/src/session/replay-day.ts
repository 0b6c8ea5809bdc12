import { ParameterError, checkNumber, createRng, type Rng, exp } from '@spyglass-wasm/core';
import { simulatePlaceSession } from '../place/simulate-place-session.js';
import { trackLeds, type LedTracking, type LedTrackingOptions } from '../position/track-leds.js';
import { between, checkRange, drawRipples, poissonTimes, refractoryTrain } from './events.js';
import {
  renderTetrodes,
  tetrodeGroups,
  type ElectrodeGroupInfo,
  type RawRecording,
  type RippleEvent,
  type TetrodeUnit,
} from './render-tetrodes.js';
import type { SessionEpoch } from './rest-run-session.js';

/** One epoch of the day: sleep in the rest box, or running on the linear track. */
export interface DayEpochSpec {
  name: string;
  kind: 'sleep' | 'run';
  seconds: number;
}

export interface ReplayDayOptions {
  seed?: number;
  /** Epochs in order, default sleep1 (60 s) / run1 (120 s) / sleep2 (60 s). */
  epochs?: DayEpochSpec[];
  /** Track length (cm), default 200. */
  trackLengthCm?: number;
  /** Place cells (default 40) over `nTetrodes` tetrodes (default 4); fields as simulatePlaceSession. */
  nUnits?: number;
  nTetrodes?: number;
  peakHz?: [number, number];
  fieldSdCm?: [number, number];
  /** Background rate of every unit, in every epoch (Hz), default 0.5. */
  baselineHz?: number;
  /** Ripples per second of sleep, default 0.5. */
  rippleRateHz?: number;
  /** Ripple (and replay) duration range (ms), default [50, 250]. */
  rippleDurationMs?: [number, number];
  /** Fraction of ripples carrying a replay, default 0.7 (the others fire at random). */
  replayFraction?: number;
  /** Sweep speed range (m/s), default [5, 10]. */
  sweepSpeedMps?: [number, number];
  /** Peak rate of a place cell as the sweep crosses its field (Hz), default 150. */
  replayPeakHz?: number;
  /** Probability that a place cell takes part in a replay, default 0.85. */
  replayParticipation?: number;
  /**
   * Camera tracking (trackLeds options; its seed defaults to one derived from `seed`, its noise
   * to a smooth 0.5 s drift so rest reads as ~2 cm/s; noiseTimeConstantS 0 for white noise).
   */
  tracking?: LedTrackingOptions;
  /**
   * Render a raw recording of [start, start + seconds) of the day (default: none; `true` for the
   * whole day), spikes with waveforms on tetrodes, ripples and theta in the LFP.
   */
  raw?: boolean | { start?: number; seconds?: number; fs?: number; noiseUv?: number };
}

/** A replayed sweep: positions along the track (cm) and its direction ('forward' = increasing position). */
export interface Replay {
  start_position_cm: number;
  end_position_cm: number;
  direction: 'forward' | 'reverse';
}

export interface ReplayRipple extends RippleEvent {
  /** Name of the epoch it falls in. */
  epoch: string;
  /** The sweep its spikes replay, or null for random firing. */
  replay: Replay | null;
}

/** A place cell: its field on the track, its tetrode and waveform, its spikes over the whole day. */
export interface ReplayUnit extends TetrodeUnit {
  /** Field centre along the track (cm), width (SD, cm) and peak rate while running (Hz). */
  centerCm: number;
  sdCm: number;
  peakHz: number;
}

export interface ReplayDay {
  description: string;
  epochs: (SessionEpoch & { kind: 'sleep' | 'run' })[];
  electrodeGroups: ElectrodeGroupInfo[];
  /** Sorted units: spike times per unit over the whole day (the spikes level). */
  units: ReplayUnit[];
  /** Raw two-LED tracking over the whole day. */
  position: LedTracking;
  /** Raw recording of the rendered window, when `raw` was asked for. */
  recording?: RawRecording;
  trackLengthCm: number;
  truth: {
    units: ReplayUnit[];
    ripples: ReplayRipple[];
    /** Clean position (cm; the track runs along x from `trackOrigin`), at the camera frames. */
    position: {
      times: Float64Array;
      x: Float64Array;
      y: Float64Array;
      headDirection: Float64Array;
      trackPositionCm: Float64Array;
    };
    trackOrigin: { x: number; y: number };
  };
}

const TRACK = { x: 20, y: 120 },
  REST_BOX = { x: 60, y: 40 };

/**
 * A recording day for replay analyses: sleep epochs in a rest box and run epochs on a linear
 * track (place cells as simulatePlaceSession, same cells all day). Ripples occur only in sleep;
 * most carry a replay: the place cells fire in the order of their fields along a fast sweep
 * (5–10 m/s) of the track, forward or reverse, from and to positions drawn per event; the rest
 * fire at random. Spike times per unit are the fast level; `raw` renders tetrodes with
 * waveforms for clusterless and sorting pipelines.
 *
 * @example
 * const day = simulateReplayDay({ seed: 1 });
 * day.epochs.map((e) => e.name);                 // ['sleep1', 'run1', 'sleep2']
 * day.truth.ripples.filter((r) => r.replay);     // replay events, with start/end positions and direction
 * const short = simulateReplayDay({ seed: 1, raw: { start: 0, seconds: 5 } }).recording;
 */
export function simulateReplayDay(options: ReplayDayOptions = {}): ReplayDay {
  const seed = options.seed ?? 1;
  const specs = checkEpochs(
    options.epochs ?? [
      { name: 'sleep1', kind: 'sleep', seconds: 60 },
      { name: 'run1', kind: 'run', seconds: 120 },
      { name: 'sleep2', kind: 'sleep', seconds: 60 },
    ],
  );
  const length = checkNumber('trackLengthCm', options.trackLengthCm ?? 200, { min: 10 });
  const nUnits = checkNumber('nUnits', options.nUnits ?? 40, { min: 1, integer: true });
  const nTetrodes = checkNumber('nTetrodes', options.nTetrodes ?? 4, { min: 1, integer: true });
  const baseline = checkNumber('baselineHz', options.baselineHz ?? 0.5, { min: 0 });
  const sweep = checkRange('sweepSpeedMps', options.sweepSpeedMps ?? [5, 10], 0.1, 100);
  const replay = {
    fraction: checkNumber('replayFraction', options.replayFraction ?? 0.7, { min: 0, max: 1 }),
    peakHz: checkNumber('replayPeakHz', options.replayPeakHz ?? 150, { min: 0 }),
    participation: checkNumber('replayParticipation', options.replayParticipation ?? 0.85, { min: 0, max: 1 }),
  };
  const rng = createRng(seed);

  let t = 0;
  const epochs = specs.map((e) => ({
    name: e.name,
    kind: e.kind,
    start: t,
    stop: (t += e.seconds),
    tags: [e.name, e.kind === 'sleep' ? 'rest_box' : 'linear_track'],
  }));
  const runs = epochs
    .filter((e) => e.kind === 'run')
    .map((e) =>
      simulatePlaceSession({
        seed: rng.fork().int(2 ** 31),
        seconds: e.stop - e.start,
        lengthCm: length,
        nUnits,
        nTetrodes,
        peakHz: options.peakHz,
        fieldSdCm: options.fieldSdCm,
        baselineHz: baseline,
      }),
    );
  // The cells (fields, waveforms) are the first run's; every run epoch redraws only the spikes along its own path.
  const cells = (
    runs[0] ??
    simulatePlaceSession({
      seed: rng.fork().int(2 ** 31),
      seconds: 1,
      lengthCm: length,
      nUnits,
      nTetrodes,
      peakHz: options.peakHz,
      fieldSdCm: options.fieldSdCm,
    })
  ).units;
  const spikes: number[][] = cells.map(() => []);
  epochs
    .filter((e) => e.kind === 'run')
    .forEach((e, k) => {
      const run = k === 0 ? runs[0] : runWithCells(runs[k], cells, rng.fork(), baseline);
      run.units.forEach((u, i) => u.spikeTimes.forEach((s) => spikes[i].push(e.start + s)));
    });
  const sleeps = epochs.filter((e) => e.kind === 'sleep');
  const ripples: ReplayRipple[] = drawRipples(rng.fork(), sleeps, {
    rateHz: checkNumber('rippleRateHz', options.rippleRateHz ?? 0.5, { min: 0, exclusiveMin: true }),
    durationMs: checkRange('rippleDurationMs', options.rippleDurationMs ?? [50, 250], 5, 2000),
    frequencyHz: [150, 250],
    amplitudeUv: [40, 100],
  }).map((r) => ({ ...r, epoch: sleeps.find((e) => r.start >= e.start && r.start < e.stop)!.name, replay: null }));
  const eventRng = rng.fork();
  for (const r of ripples) {
    if (eventRng.uniform() < replay.fraction) {
      r.replay = drawSweep(eventRng, r, length, sweep);
      replaySpikes(eventRng, r, cells, replay, spikes);
    } else randomSpikes(eventRng, r, cells, spikes);
  }
  for (const e of sleeps) spikes.forEach((s) => poissonTimes(rng, baseline, e.start, e.stop, s));
  const units: ReplayUnit[] = cells.map((c, i) => {
    const amplitude = Math.max(...c.amplitudes);
    return {
      centerCm: c.center[0],
      sdCm: c.sdCm,
      peakHz: c.peakHz,
      tetrode: c.tetrode,
      amplitude,
      gains: c.amplitudes.map((a) => a / amplitude),
      spikeTimes: refractoryTrain(spikes[i], 0.002),
    };
  });

  const trajectory = dayTrajectory(epochs, runs, length);
  const position = trackLeds(trajectory, { seed: (seed * 7 + 5) >>> 0, noiseTimeConstantS: 0.5, ...options.tracking });
  const onTrack = (t: number) => epochs.some((e) => e.kind === 'run' && t >= e.start && t < e.stop);
  const trackPositionCm = position.truth.x.map((x, i) => (onTrack(position.times[i]) ? x - TRACK.x : NaN));
  const recording = options.raw ? renderDay(seed, options.raw, epochs, units, ripples, nTetrodes) : undefined;
  return {
    description: `simulated replay day (${epochs.map((e) => e.name).join(', ')}) on a ${length} cm linear track, seed ${seed}`,
    epochs,
    electrodeGroups: tetrodeGroups(nTetrodes),
    units,
    position,
    ...(recording ? { recording } : {}),
    trackLengthCm: length,
    truth: {
      units,
      ripples,
      position: {
        times: position.times,
        x: position.truth.x,
        y: position.truth.y,
        headDirection: position.truth.headDirection,
        trackPositionCm,
      },
      trackOrigin: { ...TRACK },
    },
  };
}

function checkEpochs(epochs: DayEpochSpec[]): DayEpochSpec[] {
  if (!Array.isArray(epochs) || epochs.length === 0)
    throw new ParameterError('epochs', 'a non-empty list of { name, kind: sleep|run, seconds }', epochs);
  epochs.forEach((e, i) => {
    if (!e || typeof e.name !== 'string' || !e.name)
      throw new ParameterError(`epochs[${i}].name`, 'a non-empty string', e?.name);
    if (e.kind !== 'sleep' && e.kind !== 'run')
      throw new ParameterError(`epochs[${i}].kind`, "'sleep' or 'run'", e.kind);
    checkNumber(`epochs[${i}].seconds`, e.seconds, { min: 1 });
  });
  return epochs;
}

type PlaceRun = ReturnType<typeof simulatePlaceSession>;

/** A later run epoch: its own path, but the first run's cells firing along it (thinning, as simulatePlaceSession). */
function runWithCells(
  run: PlaceRun,
  cells: PlaceRun['units'],
  rng: Rng,
  baseline: number,
): { units: { spikeTimes: Float64Array }[] } {
  const { times, position } = run,
    n = times.length,
    fs = 1 / (times[1] - times[0]);
  const seconds = n / fs;
  return {
    units: cells.map((c) => {
      const max = c.peakHz + baseline,
        out: number[] = [];
      for (let t = rng.exponential(max); t < seconds - 1 / fs; t += rng.exponential(max)) {
        const i = Math.min(n - 2, Math.floor(t * fs)),
          f = t * fs - i;
        const x = position.data[i] + f * (position.data[i + 1] - position.data[i]) - c.center[0];
        if (rng.uniform() * max < baseline + c.peakHz * exp(-(x * x) / (2 * c.sdCm * c.sdCm))) out.push(t);
      }
      return { spikeTimes: Float64Array.from(out) };
    }),
  };
}

/**
 * A sweep at a speed drawn from `speed` (m/s) lasting the ripple, shortened (the ripple with it)
 * when it would not fit on the track; start drawn uniformly where the sweep fits, direction 50/50.
 */
function drawSweep(rng: Rng, r: ReplayRipple, length: number, speed: [number, number]): Replay {
  const v = between(rng, speed) * 100;
  let distance = v * (r.end - r.start);
  if (distance > 0.95 * length) {
    distance = 0.95 * length;
    const duration = distance / v;
    r.peak = r.start + ((r.peak - r.start) / (r.end - r.start)) * duration;
    r.end = r.start + duration;
  }
  const forward = rng.uniform() < 0.5;
  const from = forward ? rng.uniform() * (length - distance) : distance + rng.uniform() * (length - distance);
  return {
    start_position_cm: from,
    end_position_cm: forward ? from + distance : from - distance,
    direction: forward ? 'forward' : 'reverse',
  };
}

/** Place cells fire as the sweep crosses their fields (inhomogeneous Poisson by thinning). */
function replaySpikes(
  rng: Rng,
  r: ReplayRipple,
  cells: PlaceRun['units'],
  o: { peakHz: number; participation: number },
  spikes: number[][],
): void {
  const { start_position_cm: x0, end_position_cm: x1 } = r.replay!,
    duration = r.end - r.start;
  cells.forEach((c, i) => {
    if (rng.uniform() >= o.participation) return;
    for (let t = r.start + rng.exponential(o.peakHz); t < r.end; t += rng.exponential(o.peakHz)) {
      const d = x0 + ((x1 - x0) * (t - r.start)) / duration - c.center[0];
      if (rng.uniform() < exp(-(d * d) / (2 * c.sdCm * c.sdCm))) spikes[i].push(t);
    }
  });
}

/** A ripple without replay: a third of the cells fire about two spikes each, at random times. */
function randomSpikes(rng: Rng, r: ReplayRipple, cells: PlaceRun['units'], spikes: number[][]): void {
  cells.forEach((_, i) => {
    if (rng.uniform() < 1 / 3) poissonTimes(rng, 2 / (r.end - r.start), r.start, r.end, spikes[i]);
  });
}

/** The clean path of the day at 30 Hz: still in the rest box while asleep, the run's laps on the track. */
function dayTrajectory(epochs: ReplayDay['epochs'], runs: PlaceRun[], length: number) {
  const times: number[] = [],
    x: number[] = [],
    y: number[] = [],
    hd: number[] = [];
  let k = 0,
    heading = 0;
  for (const e of epochs) {
    if (e.kind === 'run') {
      const run = runs[k++];
      run.times.forEach((t, i) => {
        const p = run.position.data[i],
          next = run.position.data[Math.min(i + 1, run.times.length - 1)];
        if (next !== p) heading = next > p ? 0 : Math.PI;
        (times.push(e.start + t), x.push(TRACK.x + Math.min(length, p)), y.push(TRACK.y), hd.push(heading));
      });
    } else {
      const n = Math.round((e.stop - e.start) * 30);
      for (let i = 0; i < n; i++)
        (times.push(e.start + i / 30), x.push(REST_BOX.x), y.push(REST_BOX.y), hd.push(Math.PI / 2));
    }
  }
  return {
    times: Float64Array.from(times),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    headDirection: Float64Array.from(hd),
  };
}

function renderDay(
  seed: number,
  raw: Exclude<ReplayDayOptions['raw'], false | undefined>,
  epochs: ReplayDay['epochs'],
  units: ReplayUnit[],
  ripples: ReplayRipple[],
  nTetrodes: number,
): RawRecording {
  const o = raw === true ? {} : raw,
    end = epochs[epochs.length - 1].stop;
  const start = checkNumber('raw.start', o.start ?? 0, { min: 0, max: end });
  const seconds = checkNumber('raw.seconds', o.seconds ?? end - start, { min: 0, max: end - start });
  const fs = checkNumber('raw.fs', o.fs ?? 30000, { min: 1000 });
  return renderTetrodes({
    seed,
    fs,
    nTetrodes,
    start,
    seconds,
    units,
    ripples,
    thetaPeriods: epochs.filter((e) => e.kind === 'run'),
    noiseUv: o.noiseUv,
  });
}
