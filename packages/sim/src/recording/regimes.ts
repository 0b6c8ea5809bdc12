import { checkNumber, checkOptionNames, createRng, ParameterError, type Rng, exp, pow } from '@spyglass-wasm/core';
import type { RecordingRegimes, RecordingSpec, SimulatedUnit, WaveformShape } from './simulate-recording.js';

/** Probe geometry of the simulator: a linear shank, 25 µm pitch, gains decaying as exp(−d / 40 µm). */
const PROBE_PITCH_UM = 25;
const DECAY_UM = 40;
/** Gains below this are not rendered (a unit 200 µm away adds < 0.7 % of its amplitude). */
const MIN_GAIN = 0.007;

const REGIME_NAMES = ['shapes', 'bursts', 'synchrony', 'depthsUm', 'driftUm', 'rateRangeHz'] as const;
const BURST_NAMES = ['fraction', 'probability', 'spikes', 'isiMs', 'decay'] as const;

/** Checks a spec's regimes against the recording it describes (option names, ranges, probe-only options). */
export function checkRegimes(regimes: RecordingRegimes | undefined, channels: number, units: number): void {
  if (regimes === undefined) return;
  checkOptionNames('simulateRecording regimes', regimes, REGIME_NAMES);
  const { shapes, bursts, synchrony, depthsUm, driftUm, rateRangeHz } = regimes;
  if (shapes !== undefined && shapes !== 'uniform' && shapes !== 'varied')
    throw new ParameterError('regimes.shapes', "'uniform' or 'varied'", shapes);
  if (bursts !== undefined) {
    checkOptionNames('simulateRecording regimes.bursts', bursts, BURST_NAMES);
    checkNumber('regimes.bursts.fraction', bursts.fraction ?? 0.5, { min: 0, max: 1 });
    checkNumber('regimes.bursts.probability', bursts.probability ?? 0.3, { min: 0, max: 1 });
    checkNumber('regimes.bursts.decay', bursts.decay ?? 0.8, { min: 0, exclusiveMin: true, max: 1 });
    checkRange('regimes.bursts.spikes', bursts.spikes, 2, true);
    checkRange('regimes.bursts.isiMs', bursts.isiMs, 0, false);
  }
  if (synchrony !== undefined) checkNumber('regimes.synchrony', synchrony, { min: 0, max: 1 });
  if (rateRangeHz !== undefined) checkRange('regimes.rateRangeHz', rateRangeHz, 0, false);
  if ((depthsUm !== undefined || driftUm !== undefined) && channels <= 4)
    throw new ParameterError('regimes', 'depthsUm and driftUm only on a probe (channels > 4)', channels);
  if (
    depthsUm !== undefined &&
    (!Array.isArray(depthsUm) || depthsUm.length !== units || depthsUm.some((d) => !Number.isFinite(d)))
  )
    throw new ParameterError('regimes.depthsUm', `one finite depth (µm) per unit (${units})`, depthsUm);
  if (driftUm !== undefined) checkNumber('regimes.driftUm', driftUm);
}

function checkRange(name: string, v: readonly [number, number] | undefined, min: number, integer: boolean): void {
  if (v === undefined) return;
  if (
    !Array.isArray(v) ||
    v.length !== 2 ||
    !(v[0] > min || (integer && v[0] >= min)) ||
    !(v[1] >= v[0]) ||
    (integer && !(Number.isInteger(v[0]) && Number.isInteger(v[1])))
  )
    throw new ParameterError(
      name,
      `[min, max] with ${integer ? 'integers ' : ''}${min}${integer ? ' ≤' : ' <'} min ≤ max`,
      v,
    );
}

/** A rate drawn log-uniformly in [lo, hi] from one uniform draw (the draw the default rate uses). */
export function logUniformRate([lo, hi]: readonly [number, number], u: number): number {
  return lo * pow(hi / lo, u);
}

/** Probe gains of a unit at `depth` µm, relative to `reference` (the gain of its nearest channel at t = 0). */
export function probeGains(depth: number, channels: number, reference = 1): number[] {
  return Array.from({ length: channels }, (_, c) => exp(-Math.abs(c * PROBE_PITCH_UM - depth) / DECAY_UM) / reference);
}

/**
 * Applies the regimes other than rates and depths (drawn with the units) to the drawn units, from
 * a generator of its own (seeded from `seed`), in place: shapes, then drift, bursts, synchrony.
 */
export function applyRegimes(
  units: SimulatedUnit[],
  regimes: RecordingRegimes,
  seed: number,
  seconds: number,
  refractory: number,
): void {
  const rng = createRng((seed ^ 0x5eed_1e55) >>> 0);
  if (regimes.shapes === 'varied') for (const u of units) u.shape = variedShape(rng, u.gains);
  if (regimes.driftUm !== undefined) for (const u of units) u.driftUmPerS = regimes.driftUm / seconds;
  if (regimes.bursts) {
    const n = Math.round((regimes.bursts.fraction ?? 0.5) * units.length);
    for (const u of units.slice(0, n)) burst(u, regimes.bursts, rng.fork(), seconds, refractory);
  }
  if (regimes.synchrony)
    for (let i = 1; i < units.length; i++)
      synchronise(units[i], units[nearest(units, i)], regimes.synchrony, rng.fork(), seconds, refractory);
}

function variedShape(rng: Rng, gains: readonly number[]): WaveformShape {
  const shape: WaveformShape = {
    troughWidth: 0.00012 + 0.00018 * rng.uniform(),
    reboundRatio: 0.1 + 0.5 * rng.uniform(),
    reboundDelay: 0.0003 + 0.0005 * rng.uniform(),
    reboundWidth: 0.00025 + 0.00035 * rng.uniform(),
    preRatio: rng.uniform() < 1 / 3 ? 0.15 + 0.2 * rng.uniform() : 0,
    // far channels see the spike through more tissue: broader (up to 1.5×)
    channelWidths: gains.map((g) => 1 + 0.5 * (1 - Math.min(1, g))),
    norm: 1,
  };
  // the repolarisation overlaps the trough: rescale so the trough is −1 at width factor 1
  let trough = 0;
  for (let t = -0.001; t <= 0.001; t += 0.000002)
    trough = Math.min(trough, shapedWaveform({ ...shape, channelWidths: [1] }, 0, t));
  shape.norm = -1 / trough;
  return shape;
}

/**
 * A varied unit's waveform on a channel at t s from the trough (trough about −1, at about t = 0, on its largest
 * channel).
 */
export function shapedWaveform(s: WaveformShape, channel: number, t: number): number {
  const k = s.channelWidths[channel];
  const w = s.troughWidth * k;
  const pre = s.preRatio ? s.preRatio * exp(-0.5 * ((t + 1.6 * w) / (0.8 * w)) ** 2) : 0;
  return (
    s.norm *
    (pre -
      exp(-0.5 * (t / w) ** 2) +
      (s.reboundRatio / k) * exp(-0.5 * ((t - s.reboundDelay * k) / (s.reboundWidth * k)) ** 2))
  );
}

/** Turns some spikes of `u` into bursts of decaying spikes; later spikes that would overlap a burst are dropped. */
function burst(
  u: SimulatedUnit,
  o: NonNullable<RecordingRegimes['bursts']>,
  rng: Rng,
  seconds: number,
  refractory: number,
): void {
  const [s0, s1] = o.spikes ?? [2, 5];
  const [i0, i1] = o.isiMs ?? [3, 6];
  const p = o.probability ?? 0.3,
    decay = o.decay ?? 0.8;
  const times: number[] = [],
    scales: number[] = [];
  let free = -Infinity;
  for (const t of u.spikeTimes) {
    if (t < free) continue;
    times.push(t);
    scales.push(1);
    free = t + refractory;
    if (rng.uniform() >= p) continue;
    const n = s0 + rng.int(s1 - s0 + 1);
    let at = t;
    for (let k = 1; k < n; k++) {
      at += (i0 + (i1 - i0) * rng.uniform()) / 1000;
      if (at >= seconds - 0.005) break;
      times.push(at);
      scales.push(pow(decay, k));
      free = at + refractory;
    }
  }
  u.spikeTimes = Float64Array.from(times);
  u.spikeScales = Float32Array.from(scales);
}

/** Moves a fraction of `u`'s spikes to within ±0.5 ms of `partner`'s spikes, keeping `u` refractory. */
function synchronise(
  u: SimulatedUnit,
  partner: SimulatedUnit,
  fraction: number,
  rng: Rng,
  seconds: number,
  refractory: number,
): void {
  const n = Math.min(partner.spikeTimes.length, Math.round(fraction * u.spikeTimes.length));
  const moved: { t: number; s: number }[] = [];
  const keep = Array.from(u.spikeTimes, (t, i) => ({ t, s: u.spikeScales?.[i] ?? 1 }));
  for (let k = 0; k < n && keep.length; k++) {
    keep.splice(rng.int(keep.length), 1);
    const t = partner.spikeTimes[rng.int(partner.spikeTimes.length)] + (rng.uniform() - 0.5) * 0.001;
    if (t > 0.005 && t < seconds - 0.005) moved.push({ t, s: 1 });
  }
  const all = [...keep, ...moved].sort((a, b) => a.t - b.t);
  const out: typeof all = [];
  for (const e of all) if (!out.length || e.t - out[out.length - 1].t >= refractory) out.push(e);
  u.spikeTimes = Float64Array.from(out, (e) => e.t);
  if (u.spikeScales) u.spikeScales = Float32Array.from(out, (e) => e.s);
}

/** The unit nearest to unit i (by depth on a probe, else the previous unit). */
function nearest(units: readonly SimulatedUnit[], i: number): number {
  const d = units[i].depthUm;
  if (d === undefined) return i - 1;
  let best = i === 0 ? 1 : 0;
  units.forEach((u, j) => j !== i && Math.abs(u.depthUm! - d) < Math.abs(units[best].depthUm! - d) && (best = j));
  return best;
}

/** The channel gains of unit `u` at time t (s): its fixed gains, or on a drifting probe those at its depth then. */
function gainsAt(u: SimulatedUnit, channels: number, t: number): readonly number[] {
  if (!u.driftUmPerS || u.depthUm === undefined) return u.gains;
  return probeGains(u.depthUm - u.driftUmPerS * t, channels, Math.max(...probeGains(u.depthUm, channels)));
}

/**
 * Adds one spike of a unit with regimes (own shape, spike scale, drifting gains) to rows
 * [start, end) of `data`, from sample `k0` to `k1`; channels whose gain is negligible are skipped.
 */
export function addShapedSpike(
  data: Float32Array,
  start: number,
  channels: number,
  fs: number,
  u: SimulatedUnit,
  i: number,
  k0: number,
  k1: number,
): void {
  const center = u.spikeTimes[i] * fs;
  const gains = gainsAt(u, channels, u.spikeTimes[i]);
  const amp = u.amplitude * (u.spikeScales?.[i] ?? 1);
  for (let c = 0; c < channels; c++) {
    const g = gains[c];
    if (Math.abs(g) < MIN_GAIN) continue;
    for (let k = k0; k <= k1; k++) {
      const t = (k - center) / fs;
      data[(k - start) * channels + c] += amp * g * (u.shape ? shapedWaveform(u.shape, c, t) : spikeWaveform(t));
    }
  }
}

/** Extracellular spike shape (trough then rebound), t in seconds from the trough; trough = −1. */
export function spikeWaveform(t: number): number {
  return -exp(-0.5 * (t / 0.00018) ** 2) + 0.3 * exp(-0.5 * ((t - 0.0005) / 0.00035) ** 2);
}

/** The named hard regimes of the sorting-accuracy benchmark and tests; see sortingRegime. */
export const SORTING_REGIMES = ['varied-shapes', 'bursting', 'overlapping', 'drift', 'rates'] as const;
export type SortingRegime = (typeof SORTING_REGIMES)[number];

/**
 * A recording spec for one of the hard regimes sorting papers score on, all with varied shapes:
 * 'varied-shapes' (tetrode, 8 units, 50–200 µV), 'bursting' (the same with half the units firing
 * decaying bursts), 'overlapping' (8-channel probe, 6 units within 50 µm, a fifth of each unit's
 * spikes within ±0.5 ms of its neighbour's), 'drift' (32-channel probe, 12 units, 30 µm of drift)
 * and 'rates' (tetrode, 10 units at 0.1–40 Hz, log-uniform).
 *
 * @example
 * const rec = simulateRecording(sortingRegime('bursting', { seed: 1 }));
 */
export function sortingRegime(name: SortingRegime, options: { seed: number; seconds?: number }): RecordingSpec {
  checkOptionNames('sortingRegime', options, ['seed', 'seconds']);
  const { seed } = options;
  const spread = (n: number, lo: number, hi: number) =>
    Array.from({ length: n }, (_, u) => lo + ((hi - lo) * u) / (n - 1));
  switch (name) {
    case 'varied-shapes':
      return {
        seed,
        seconds: options.seconds ?? 60,
        units: 8,
        amplitudes: spread(8, 50, 200),
        regimes: { shapes: 'varied' },
      };
    case 'bursting':
      return {
        seed,
        seconds: options.seconds ?? 60,
        units: 8,
        amplitudes: spread(8, 60, 200),
        regimes: { shapes: 'varied', bursts: { fraction: 0.5 } },
      };
    case 'overlapping':
      return {
        seed,
        seconds: options.seconds ?? 60,
        units: 6,
        channels: 8,
        amplitudes: spread(6, 60, 180),
        regimes: { shapes: 'varied', depthsUm: spread(6, 62.5, 112.5), synchrony: 0.2 },
      };
    case 'drift':
      return {
        seed,
        seconds: options.seconds ?? 30,
        units: 12,
        channels: 32,
        amplitudes: spread(12, 60, 200),
        regimes: { shapes: 'varied', driftUm: 30 },
      };
    case 'rates':
      return {
        seed,
        seconds: options.seconds ?? 120,
        units: 10,
        amplitudes: spread(10, 60, 200),
        regimes: { shapes: 'varied', rateRangeHz: [0.1, 40] },
      };
    default:
      throw new ParameterError('name', `a sorting regime (${SORTING_REGIMES.join(', ')})`, name);
  }
}
