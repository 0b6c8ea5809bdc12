import { createRng, searchSorted, type Rng } from '@spyglass-wasm/core';
import { addShapedSpike, applyRegimes, checkRegimes, logUniformRate, probeGains, spikeWaveform } from './regimes.js';

export interface RecordingSpec {
  seed: number;
  seconds: number;
  /** Sampling rate (default 30 kHz). */
  fs?: number;
  /** Channels: 4 for a tetrode (default), more for a probe shank (linear, 25 µm pitch). */
  channels?: number;
  units: number;
  /** Peak amplitudes of the units' largest channel, µV (default spread over 40–200). */
  amplitudes?: number[];
  /** White noise standard deviation before band-passing, µV (default 12). */
  noiseUv?: number;
  /** Firing rates, Hz (default 2–20). */
  ratesHz?: number[];
  /** Refractory period, s (default 2 ms). */
  refractory?: number;
  /**
   * Harder regimes, each off by default (without them the samples are those of earlier versions).
   * Their draws come from a second generator seeded from `seed`, so turning one on leaves the
   * spike trains, gains and amplitudes drawn by the defaults as they were (bursts and synchrony
   * then edit the trains).
   */
  regimes?: RecordingRegimes;
}

/** The harder regimes sorting papers score on; see RecordingSpec.regimes. */
export interface RecordingRegimes {
  /**
   * 'varied': each unit its own waveform (trough width 0.12–0.3 ms, repolarisation 0.1–0.6 of the
   * trough and its timing, a third of units triphasic with an initial positive phase), broader
   * and with a weaker repolarisation on channels far from the unit. Default 'uniform': one shape.
   */
  shapes?: 'uniform' | 'varied';
  /**
   * Complex-spike bursts: the first `fraction` of units (default 0.5) burst; a spike starts a burst
   * with probability `probability` (0.3) of `spikes` (2–5) spikes `isiMs` (3–6 ms) apart, each
   * `decay` (0.8) times the amplitude of the one before.
   */
  bursts?: {
    fraction?: number;
    probability?: number;
    spikes?: readonly [number, number];
    isiMs?: readonly [number, number];
    decay?: number;
  };
  /**
   * Temporally overlapping spikes: this fraction (0–1) of each unit's spikes, from the second unit
   * on, is moved to within ±0.5 ms of a spike of the unit nearest on the probe (on a tetrode, the previous unit).
   */
  synchrony?: number;
  /** Probe only: units' depths (µm along the shank from channel 0), instead of uniform over the shank. */
  depthsUm?: readonly number[];
  /** Probe only: the whole probe moves this many µm relative to the units, linearly over the session. */
  driftUm?: number;
  /** Firing rates drawn log-uniformly in [min, max] Hz (e.g. [0.1, 40]) instead of 2–20 Hz; `ratesHz` still wins. */
  rateRangeHz?: readonly [number, number];
}

/** A simulated unit and its ground truth. */
export interface SimulatedUnit {
  /** Spike times, s (continuous time: spikes fall between samples, as in real data). */
  spikeTimes: Float64Array;
  /** Gain of the waveform on each channel (largest = 1). */
  gains: number[];
  amplitude: number;
  /** Its own waveform (regimes.shapes 'varied'); absent: spikeWaveform on every channel. */
  shape?: WaveformShape;
  /** Amplitude factor of each spike (bursts: decaying within a burst); absent: 1. */
  spikeScales?: Float32Array;
  /** Probe units: depth (µm from channel 0) at t = 0 and drift (µm/s); the gains follow the depth. */
  depthUm?: number;
  driftUmPerS?: number;
}

/** A unit's waveform: spikeWaveform's form with its own widths and phases (times in s). */
export interface WaveformShape {
  troughWidth: number;
  reboundRatio: number;
  reboundDelay: number;
  reboundWidth: number;
  /** Initial positive phase (triphasic units), as a fraction of the trough; 0 for biphasic. */
  preRatio: number;
  /** Per channel: widths scaled by this (≥ 1, broader far from the unit). */
  channelWidths: number[];
  /** Scale making the trough −1 on the unit's largest channel. */
  norm: number;
}

export interface SimulatedRecording {
  /** rows × channels µV, row-major (NWB layout). */
  data: Float32Array;
  rows: number;
  channels: number;
  fs: number;
  units: SimulatedUnit[];
}

export { spikeWaveform };

/**
 * A seeded extracellular recording with ground truth: refractory Poisson spike trains of units
 * with biphasic waveforms placed at continuous times (sub-sample jitter for free), per-channel
 * gains (random on a tetrode, distance decay along a probe), white noise plus a common-mode
 * component. The same seed gives the same recording.
 *
 * @example
 * const rec = simulateRecording({ seed: 1, seconds: 60, units: 8 });
 */
export function simulateRecording(spec: RecordingSpec): SimulatedRecording {
  const { fs, channels, rows, noise, units, rng } = recordingModel(spec);
  const data = new Float32Array(rows * channels);
  for (let r = 0; r < rows; r++) noiseRow(rng, noise, data.subarray(r * channels, (r + 1) * channels));
  addSpikes(data, 0, rows, channels, fs, units);
  return { data, rows, channels, fs, units };
}

/**
 * A recording's settings with their defaults and its units, drawn from the seed's generator (which
 * is returned, to go on drawing from).
 */
export function recordingModel(spec: RecordingSpec) {
  const fs = spec.fs ?? 30000;
  const channels = spec.channels ?? 4;
  checkRegimes(spec.regimes, channels, spec.units);
  const rng = createRng(spec.seed);
  const units = drawUnits(spec, rng, channels);
  return { fs, channels, rows: Math.round(spec.seconds * fs), noise: spec.noiseUv ?? 12, units, rng };
}

/** One row of the noise model: white noise of SD `noise` per channel plus a common-mode part (0.3 × noise). */
export function noiseRow(rng: Rng, noise: number, row: Float32Array): void {
  const common = rng.normal() * noise * 0.3;
  for (let c = 0; c < row.length; c++) row[c] = rng.normal() * noise + common;
}

/**
 * The units of a simulated recording: amplitude, channel gains (random on a tetrode, decaying
 * with distance along a probe) and a refractory Poisson spike train each, drawn from `rng`.
 */
export function drawUnits(spec: RecordingSpec, rng: Rng, channels: number): SimulatedUnit[] {
  const refractory = spec.refractory ?? 0.002;
  const units: SimulatedUnit[] = [];
  for (let u = 0; u < spec.units; u++) {
    const amplitude = spec.amplitudes?.[u] ?? 40 + (160 * u) / Math.max(1, spec.units - 1);
    const range = spec.regimes?.rateRangeHz;
    const rate = spec.ratesHz?.[u] ?? (range ? logUniformRate(range, rng.uniform()) : 2 + 18 * rng.uniform());
    let gains: number[];
    let depthUm: number | undefined;
    if (channels <= 4) {
      gains = Array.from({ length: channels }, () => 0.2 + 0.8 * rng.uniform());
    } else {
      const at = rng.uniform() * (channels - 1) * 25;
      depthUm = spec.regimes?.depthsUm?.[u] ?? at;
      gains = probeGains(depthUm, channels);
    }
    const top = Math.max(...gains);
    gains = gains.map((g) => g / top);
    const times: number[] = [];
    let t = rng.exponential(rate);
    while (t < spec.seconds - 0.005) {
      if (t > 0.005) times.push(t);
      t += refractory + rng.exponential(rate);
    }
    units.push({
      spikeTimes: Float64Array.from(times),
      gains,
      amplitude,
      ...(spec.regimes && depthUm !== undefined ? { depthUm } : {}),
    });
  }
  if (spec.regimes) applyRegimes(units, spec.regimes, spec.seed, spec.seconds, refractory);
  return units;
}

/** Adds the units' waveforms that reach into rows [start, end) to `data` (those rows × channels). */
export function addSpikes(
  data: Float32Array,
  start: number,
  end: number,
  channels: number,
  fs: number,
  units: readonly SimulatedUnit[],
): void {
  const half = Math.ceil(0.0015 * fs);
  for (const u of units) {
    const plain = !u.shape && !u.spikeScales && !u.driftUmPerS;
    for (
      let i = searchSorted(u.spikeTimes, (start - 2 * half - 1) / fs);
      i < u.spikeTimes.length && u.spikeTimes[i] * fs < end + half + 1;
      i++
    ) {
      const center = u.spikeTimes[i] * fs;
      if (!plain) {
        addShapedSpike(
          data,
          start,
          channels,
          fs,
          u,
          i,
          Math.max(start, Math.floor(center) - half),
          Math.min(end - 1, Math.ceil(center) + 2 * half),
        );
        continue;
      }
      for (
        let k = Math.max(start, Math.floor(center) - half);
        k <= Math.min(end - 1, Math.ceil(center) + 2 * half);
        k++
      ) {
        const w = u.amplitude * spikeWaveform((k - center) / fs);
        for (let c = 0; c < channels; c++) data[(k - start) * channels + c] += w * u.gains[c];
      }
    }
  }
}
