import { ParameterError, type Rng } from '@spyglass-wasm/core';
import type { RippleEvent } from './render-tetrodes.js';

/** A labelled period of a session (s). */
export interface Period {
  start: number;
  stop: number;
}

export interface RippleDraw {
  /** Ripples per second of rest. */
  rateHz: number;
  /** Duration range (ms). */
  durationMs: [number, number];
  frequencyHz: [number, number];
  amplitudeUv: [number, number];
}

/** Checks a [min, max] option with min <= max inside [lo, hi]. */
export function checkRange(name: string, v: unknown, lo: number, hi: number): [number, number] {
  const ok =
    Array.isArray(v) &&
    v.length === 2 &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
    lo <= v[0] &&
    v[0] <= v[1] &&
    v[1] <= hi;
  if (!ok) throw new ParameterError(name, `a range [min, max] with ${lo} <= min <= max <= ${hi}`, v);
  return v as [number, number];
}

export const between = (rng: Rng, [a, b]: [number, number]) => a + (b - a) * rng.uniform();

/**
 * Ripples as a Poisson process inside each period, kept 0.3 s from its edges and 0.15 s apart,
 * with duration, frequency and amplitude drawn per event; the envelope peaks 30–70 % in.
 */
export function drawRipples(rng: Rng, periods: readonly Period[], o: RippleDraw): RippleEvent[] {
  const out: RippleEvent[] = [];
  for (const p of periods) {
    let t = p.start + 0.3 + rng.exponential(o.rateHz);
    while (true) {
      const duration = between(rng, o.durationMs) / 1000;
      if (t + duration > p.stop - 0.3) break;
      out.push({
        start: t,
        end: t + duration,
        peak: t + duration * (0.3 + 0.4 * rng.uniform()),
        frequencyHz: between(rng, o.frequencyHz),
        amplitudeUv: between(rng, o.amplitudeUv),
      });
      t += duration + 0.15 + rng.exponential(o.rateHz);
    }
  }
  return out;
}

/** Times of a homogeneous Poisson process of `rateHz` on [start, stop). */
export function poissonTimes(rng: Rng, rateHz: number, start: number, stop: number, out: number[] = []): number[] {
  if (rateHz <= 0) return out;
  for (let t = start + rng.exponential(rateHz); t < stop; t += rng.exponential(rateHz)) out.push(t);
  return out;
}

/** Sorted spike times with those closer than `refractory` to the previous kept one removed. */
export function refractoryTrain(times: number[], refractory: number): Float64Array {
  times.sort((a, b) => a - b);
  const kept: number[] = [];
  for (const t of times) if (!kept.length || t - kept[kept.length - 1] >= refractory) kept.push(t);
  return Float64Array.from(kept);
}
