import { createRng } from '../random/rng.js';
import { spikeWaveform, type RecordingSpec, type SimulatedUnit } from './simulate-recording.js';

/** A recording read a window at a time: the same samples whatever the windows. */
export interface RecordingStream {
  rows: number;
  channels: number;
  fs: number;
  units: SimulatedUnit[];
  /** Rows [start, end) × channels, µV, row-major. */
  read(start: number, end: number): { data: Float32Array; rows: number; cols: number };
}

/**
 * The simulator's recording as a stream, for recordings too long to hold (an hour of a 64-channel
 * probe is 27 GB of float32): spike trains are drawn up front (a few bytes per spike), noise is
 * drawn per one-second block from a generator seeded by (seed, block), so any window is the same
 * whichever way the recording is read. Same model as simulateRecording (not the same samples).
 *
 * @example
 * const stream = simulateStream({ seed: 1, seconds: 3600, units: 8 });
 * const tenSeconds = stream.read(0, 10 * stream.fs);
 */
export function simulateStream(spec: RecordingSpec): RecordingStream {
  const fs = spec.fs ?? 30000;
  const channels = spec.channels ?? 4;
  const rows = Math.round(spec.seconds * fs);
  const rng = createRng(spec.seed);
  const noise = spec.noiseUv ?? 12;
  const refractory = spec.refractory ?? 0.002;
  const units: SimulatedUnit[] = [];
  for (let u = 0; u < spec.units; u++) {
    const amplitude = spec.amplitudes?.[u] ?? 40 + (160 * u) / Math.max(1, spec.units - 1);
    const rate = spec.ratesHz?.[u] ?? 2 + 18 * rng.uniform();
    let gains: number[];
    if (channels <= 4) gains = Array.from({ length: channels }, () => 0.2 + 0.8 * rng.uniform());
    else {
      const at = rng.uniform() * (channels - 1) * 25;
      gains = Array.from({ length: channels }, (_, c) => Math.exp(-Math.abs(c * 25 - at) / 40));
    }
    const top = Math.max(...gains);
    gains = gains.map((g) => g / top);
    const times: number[] = [];
    let t = rng.exponential(rate);
    while (t < spec.seconds - 0.005) {
      if (t > 0.005) times.push(t);
      t += refractory + rng.exponential(rate);
    }
    units.push({ spikeTimes: Float64Array.from(times), gains, amplitude });
  }
  const half = Math.ceil(0.0015 * fs);
  const read = (start: number, end: number) => {
    const n = end - start;
    const data = new Float32Array(n * channels);
    for (let block = Math.floor(start / fs); block * fs < end; block++) {
      const r = createRng((spec.seed * 1_000_003 + block * 7919) >>> 0);
      const b0 = block * fs;
      for (let row = b0; row < Math.min(b0 + fs, rows); row++) {
        const common = r.normal() * noise * 0.3;
        for (let c = 0; c < channels; c++) {
          const v = r.normal() * noise + common;
          if (row >= start && row < end) data[(row - start) * channels + c] = v;
        }
      }
    }
    for (const u of units) {
      // Spikes whose waveform reaches into the window.
      let i = lowerBound(u.spikeTimes, (start - 2 * half - 1) / fs);
      for (; i < u.spikeTimes.length && u.spikeTimes[i] * fs < end + half + 1; i++) {
        const center = u.spikeTimes[i] * fs;
        for (let k = Math.max(start, Math.floor(center) - half); k <= Math.min(end - 1, Math.ceil(center) + 2 * half); k++) {
          const w = u.amplitude * spikeWaveform((k - center) / fs);
          for (let c = 0; c < channels; c++) data[(k - start) * channels + c] += w * u.gains[c];
        }
      }
    }
    return { data, rows: n, cols: channels };
  };
  return { rows, channels, fs, units, read };
}

function lowerBound(a: Float64Array, v: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m] < v) lo = m + 1;
    else hi = m;
  }
  return lo;
}
