import { interpolate, type Matrix } from '@spyglass-wasm/core';
import { netSpeed } from '@spyglass-wasm/decoding';
import type { StepInput } from '@spyglass-wasm/provenance';
import { positionOf } from './position.js';
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

/**
 * The position step's speed at `at`. Where tracking left no speed (NaN: dropped frames at the
 * session's edges, or next to a gap longer than the position step's maxGap), the nearest known
 * speeds are interpolated across, so an unknown speed neither passes nor rejects an event on its own.
 */
function speedAtTimes(times: Float64Array, speed: Float64Array, at: Float64Array): Float64Array | undefined {
  const known = [...speed.keys()].filter((i) => Number.isFinite(speed[i]));
  if (known.length === 0) return undefined;
  return interpolate(
    Float64Array.from(known, (i) => times[i]),
    Float64Array.from(known, (i) => speed[i]),
    at,
  );
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
 * The speed (cm/s) an event detector's gate reads at `at` (the detector's sample times), from the
 * position step's output, never from raw frame differences, where tracking jitter reads as running;
 * undefined without tracking (no gate).
 */
export function gateSpeedAt(
  pos: Awaited<ReturnType<typeof gatePosition>>,
  at: Float64Array,
  params: Record<string, unknown>,
): Float64Array | undefined {
  if (!pos) return undefined;
  const window = params.speedWindow as number;
  return speedAtTimes(pos.times, window > 0 ? gateSpeed(pos, window) : pos.speed, at);
}

/** The gate's options of dsp-wasm's detectors, from a step's parameters. */
export function gateOptions(params: Record<string, unknown>) {
  return {
    speedThreshold: params.speedThreshold as number,
    speedRule: params.speedRule as 'endpoints' | 'all' | 'mean',
  };
}
