import {
  interpolate,
  subtractIntervals,
  validIntervalsFromTimes,
  type Interval,
  type Matrix,
} from '@spyglass-wasm/core';
import { netSpeed } from '@spyglass-wasm/decoding';
import type { StepInput } from '@spyglass-wasm/provenance';
import { TRACKING_GAP, positionOf } from './position.js';
import { choice, number, type Param } from './params.js';

/**
 * The speed gate's parameters, shared by every event detector (ripples, mua-events): Spyglass's
 * 4 cm/s at the event's ends, read from the position step's speed or its net speed over
 * `speedWindow` s (see `gateSpeed`; 0 is Spyglass's gate exactly).
 */
export const SPEED_GATE_PARAMS: Record<string, Param> = {
  speedThreshold: number({ min: 0, max: 1e6 }, 4),
  speedRule: choice(['endpoints', 'all', 'mean'], 'endpoints'),
  speedWindow: number({ min: 0, max: 60 }, 1),
};

type GatePosition = NonNullable<Awaited<ReturnType<typeof gatePosition>>>;

/**
 * Where the gate knows the speed, shared by every event detector: the position's span, split
 * where frames are more than TRACKING_GAP apart (Spyglass's valid times of a position), less its
 * outages (tracking lost for longer, which the position step may have interpolated across) and
 * runs of NaN speed as long (beyond the position step's maxGap). mua-events counts bins only here;
 * elsewhere the ripple gate reads NaN, so no event is reported there or spans into it.
 */
export function trackedSpans(pos: Pick<GatePosition, 'times' | 'speed' | 'outages'>): Interval[] {
  const frames = validIntervalsFromTimes(pos.times, { maxGap: TRACKING_GAP });
  return subtractIntervals(frames, [...pos.outages, ...unknownSpeedRuns(pos.times, pos.speed)]);
}

/** Runs of NaN speed longer than TRACKING_GAP, as [last known time, next known time] (the ends at the edges). */
function unknownSpeedRuns(times: Float64Array, speed: Float64Array): Interval[] {
  const runs: Interval[] = [];
  let known = 0;
  for (let i = 0; i <= times.length; i++) {
    if (i < times.length && !Number.isFinite(speed[i])) continue;
    const a = times[Math.max(0, known)],
      b = times[Math.min(i, times.length - 1)];
    if (b - a > TRACKING_GAP) runs.push([a, b]);
    known = i;
  }
  return runs;
}

/**
 * The speed at sorted times: within the tracked spans, the known speeds interpolated across the
 * short runs of NaN speed the position step left (a few dropped frames); NaN outside them. Each
 * call takes some of the times (a window's), and gives what one call on all of them would.
 */
function speedAtTimes(
  pos: Pick<GatePosition, 'times' | 'speed' | 'outages'>,
  speed: Float64Array,
): ((at: Float64Array) => Float64Array) | undefined {
  const known = [...speed.keys()].filter((i) => Number.isFinite(speed[i]));
  if (known.length === 0) return undefined;
  const times = Float64Array.from(known, (i) => pos.times[i]),
    values = Float64Array.from(known, (i) => speed[i]);
  const spans = trackedSpans(pos);
  return (at) => {
    const out = interpolate(times, values, at);
    for (let i = 0, k = 0; i < at.length; i++) {
      while (k < spans.length && spans[k][1] < at[i]) k++;
      if (k === spans.length || at[i] < spans[k][0]) out[i] = NaN;
    }
    return out;
  };
}

/**
 * The speed the gate reads: the lesser of the position step's speed and the net speed over a
 * centred window. Camera jitter of 1–2 cm reads as 5–12 cm/s at rest in the instantaneous speed,
 * which gated out most rest events; a displacement over a second averages it out. With clean
 * tracking the instantaneous speed still passes events in short pauses (a reward well); running
 * reads as running in both.
 */
function gateSpeed(
  pos: { times: Float64Array; position: Matrix<Float64Array>; speed: Float64Array },
  windowSeconds: number,
): Float64Array {
  const net = netSpeed(pos.times, pos.position, { windowSeconds });
  return Float64Array.from(pos.speed, (v, i) =>
    Number.isFinite(v) && Number.isFinite(net[i]) ? Math.min(v, net[i]) : Number.isFinite(v) ? v : net[i],
  );
}

/** The position step's tracking: a `position` result, else the session file's (the same recipe, defaults). */
export async function gatePosition(inputs: { position?: StepInput; session?: StepInput }) {
  const { position, session } = inputs;
  const source = position ?? session;
  return source ? positionOf(source, position ? 'position' : 'session') : undefined;
}

/**
 * The speed (cm/s) an event detector's gate reads at `at` (the detector's sample times, sorted),
 * from the position step's output, never from raw frame differences, where tracking jitter reads
 * as running; NaN outside the tracked spans (the detectors take NaN speed as a missing sample);
 * undefined without tracking (no gate).
 */
export function gateSpeedAt(
  pos: Awaited<ReturnType<typeof gatePosition>>,
  at: Float64Array,
  params: Record<string, unknown>,
): Float64Array | undefined {
  return gateSpeedReader(pos, params)?.(at);
}

/** gateSpeedAt as a function of the times, for a detector that reads them in windows. */
export function gateSpeedReader(
  pos: Awaited<ReturnType<typeof gatePosition>>,
  params: Record<string, unknown>,
): ((at: Float64Array) => Float64Array) | undefined {
  if (!pos) return undefined;
  const window = params.speedWindow as number;
  return speedAtTimes(pos, window > 0 ? gateSpeed(pos, window) : pos.speed);
}

/** The gate's options of dsp-wasm's detectors, from a step's parameters. */
export function gateOptions(params: Record<string, unknown>) {
  return {
    speedThreshold: params.speedThreshold as number,
    speedRule: params.speedRule as 'endpoints' | 'all' | 'mean',
  };
}
