import { ParameterError, checkNumber, createRng, cos, pow, sin } from '@spyglass-wasm/core';
import { addSpikes, noiseRow, type SimulatedUnit } from '../recording/simulate-recording.js';

/** A sharp-wave ripple: a 150–250 Hz burst in the LFP band. */
export interface RippleEvent {
  /** Start, end and envelope peak (s). */
  start: number;
  end: number;
  peak: number;
  frequencyHz: number;
  /** Peak amplitude of the oscillation on a tetrode of gain 1 (µV). */
  amplitudeUv: number;
}

/** A unit on one tetrode: SimulatedUnit's amplitude and 4 channel gains, and its tetrode. */
export interface TetrodeUnit extends SimulatedUnit {
  tetrode: number;
}

/** An electrode group of the simulated drive: 4 channels per tetrode. */
export interface ElectrodeGroupInfo {
  name: string;
  location: string;
  /** Columns of the recording (and rows of the electrodes table) on this tetrode. */
  channels: number[];
}

/** A raw recording of a window of a session. */
export interface RawRecording {
  /** rows × channels µV, row-major. */
  data: Float32Array;
  rows: number;
  channels: number;
  fs: number;
  /** Session time of the first row (s). */
  startTime: number;
}

export interface TetrodeRenderSpec {
  seed: number;
  fs: number;
  nTetrodes: number;
  /** Session time of the first row (s) and length of the window (s). */
  start: number;
  seconds: number;
  units: readonly TetrodeUnit[];
  ripples: readonly RippleEvent[];
  /** Periods (s) with theta in the LFP (running). */
  thetaPeriods: readonly { start: number; stop: number }[];
  /** White noise SD per channel (µV), default 12 (as simulateRecording). */
  noiseUv?: number;
  /** Theta (8 Hz) amplitude while running (µV), default 40. */
  thetaUv?: number;
  /** Slow 1/f-like background LFP amplitude (µV RMS), default 25. */
  slowUv?: number;
}

/** The electrode groups of `nTetrodes` tetrodes in CA1, 4 consecutive channels each. */
export function tetrodeGroups(nTetrodes: number): ElectrodeGroupInfo[] {
  return Array.from({ length: nTetrodes }, (_, t) => ({
    name: `tetrode${t}`,
    location: 'CA1',
    channels: [0, 1, 2, 3].map((c) => 4 * t + c),
  }));
}

/**
 * Renders tetrodes over a window of a session: simulateRecording's noise model (white plus
 * common mode, drawn per one-second block from (seed, block), so a sample does not depend on the
 * window it is read in), an LFP shared by all channels (a slow 1/f-like background, theta while
 * running, ripples; scaled per tetrode), and the units' waveforms on their tetrode's channels.
 */
export function renderTetrodes(spec: TetrodeRenderSpec): RawRecording {
  checkNumber('seconds', spec.seconds, { min: 0 });
  checkNumber('start', spec.start, { min: 0 });
  return renderRows(spec, Math.round(spec.start * spec.fs), Math.round(spec.seconds * spec.fs));
}

/** A raw recording read a window at a time, for sessions too long to hold (2 h of 128 channels: 110 GB float32). */
export interface RawRecordingStream {
  rows: number;
  channels: number;
  fs: number;
  /** Session time of the first row (s). */
  startTime: number;
  /** Rows [start, start + rows) of the recording: the same samples renderTetrodes gives there. */
  read(start: number, rows: number): RawRecording;
  /** The whole recording in consecutive windows of `rowsPerChunk` rows (default one second). */
  chunks(rowsPerChunk?: number): Generator<RawRecording>;
}

/**
 * renderTetrodes as a stream: each window is rendered when read (noise, LFP and spikes depend
 * only on the absolute sample), so the chunks joined equal renderTetrodes(spec) sample for sample.
 */
export function streamTetrodes(spec: TetrodeRenderSpec): RawRecordingStream {
  checkNumber('seconds', spec.seconds, { min: 0 });
  checkNumber('start', spec.start, { min: 0 });
  const first = Math.round(spec.start * spec.fs),
    rows = Math.round(spec.seconds * spec.fs);
  const read = (start: number, n: number) => {
    if (!(Number.isInteger(start) && Number.isInteger(n) && start >= 0 && n >= 0 && start + n <= rows))
      throw new ParameterError('read', `whole rows within [0, ${rows})`, `${start} + ${n}`);
    return renderRows(spec, first + start, n);
  };
  return {
    rows,
    channels: 4 * spec.nTetrodes,
    fs: spec.fs,
    startTime: first / spec.fs,
    read,
    *chunks(rowsPerChunk = Math.max(1, Math.round(spec.fs))) {
      checkNumber('rowsPerChunk', rowsPerChunk, { min: 1, integer: true });
      for (let r = 0; r < rows; r += rowsPerChunk) yield read(r, Math.min(rowsPerChunk, rows - r));
    },
  };
}

/** Rows [first, first + rows) of the session (absolute sample indices). */
function renderRows(spec: TetrodeRenderSpec, first: number, rows: number): RawRecording {
  const { fs, nTetrodes } = spec;
  const channels = 4 * nTetrodes;
  const data = new Float32Array(rows * channels);
  addNoise(data, first, rows, channels, fs, spec.seed, spec.noiseUv ?? 12);
  addLfp(data, first, rows, channels, spec);
  const full = spec.units.map((u) => {
    if (!(u.tetrode >= 0 && u.tetrode < nTetrodes))
      throw new ParameterError('units.tetrode', `a tetrode index in [0, ${nTetrodes})`, u.tetrode);
    const gains = new Array<number>(channels).fill(0);
    u.gains.forEach((g, c) => (gains[4 * u.tetrode + c] = g));
    return { spikeTimes: u.spikeTimes, amplitude: u.amplitude, gains };
  });
  addSpikes(data, first, first + rows, channels, fs, full);
  return { data, rows, channels, fs, startTime: first / fs };
}

function addNoise(
  data: Float32Array,
  first: number,
  rows: number,
  channels: number,
  fs: number,
  seed: number,
  noise: number,
): void {
  const row = new Float32Array(channels),
    end = first + rows;
  for (let block = Math.floor(first / fs); block * fs < end; block++) {
    const r = createRng((seed * 1_000_003 + block * 7919 + 17) >>> 0);
    for (let t = block * fs; t < Math.min((block + 1) * fs, end); t++) {
      noiseRow(r, noise, row);
      if (t >= first) data.set(row, (t - first) * channels);
    }
  }
}

/** Per-tetrode LFP gains and the background's sinusoids, fixed by the seed. */
function lfpModel(seed: number, nTetrodes: number, slowUv: number) {
  const rng = createRng((seed ^ 0x5eed1f9) >>> 0);
  const gains = Array.from({ length: nTetrodes }, () => 0.7 + 0.6 * rng.uniform());
  // 1/f amplitude spectrum from 0.5 to 60 Hz (log-spaced), normalised to `slowUv` RMS.
  const n = 24;
  const waves = Array.from({ length: n }, (_, k) => {
    const f = 0.5 * pow(120, k / (n - 1));
    return { w: 2 * Math.PI * f, a: 1 / f, phase: 2 * Math.PI * rng.uniform() };
  });
  const rms = Math.sqrt(waves.reduce((s, v) => s + (v.a * v.a) / 2, 0));
  for (const v of waves) v.a *= slowUv / rms;
  const thetaPhase = 2 * Math.PI * rng.uniform();
  return { gains, waves, thetaPhase };
}

function addLfp(data: Float32Array, first: number, rows: number, channels: number, spec: TetrodeRenderSpec): void {
  const { fs, nTetrodes } = spec;
  const { gains, waves, thetaPhase } = lfpModel(spec.seed, nTetrodes, spec.slowUv ?? 25);
  const theta = spec.thetaUv ?? 40;
  const background = (t: number) => waves.reduce((v, w) => v + w.a * sin(w.w * t + w.phase), 0);
  // The background (< 60 Hz) is summed on an absolute 1 ms grid and interpolated in between.
  const step = Math.max(1, Math.round(fs / 1000));
  let grid = -1,
    v0 = 0,
    v1 = 0;
  const lfp = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const k = first + i,
      g = Math.floor(k / step),
      t = k / fs;
    if (g !== grid) ((grid = g), (v0 = background((g * step) / fs)), (v1 = background(((g + 1) * step) / fs)));
    lfp[i] =
      v0 +
      ((v1 - v0) * (k - g * step)) / step +
      theta * thetaEnvelope(spec.thetaPeriods, t) * sin(2 * Math.PI * 8 * t + thetaPhase);
  }
  for (const r of spec.ripples) {
    const a = Math.max(first, Math.ceil(r.start * fs)),
      b = Math.min(first + rows, Math.floor(r.end * fs) + 1);
    for (let k = a; k < b; k++)
      lfp[k - first] +=
        r.amplitudeUv * rippleEnvelope(r, k / fs) * sin(2 * Math.PI * r.frequencyHz * (k / fs - r.peak));
  }
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < channels; c++) data[i * channels + c] += lfp[i] * gains[c >> 2];
  }
}

/** 1 inside a running period, ramping over 0.5 s at its edges. */
function thetaEnvelope(periods: readonly { start: number; stop: number }[], t: number): number {
  for (const p of periods) {
    if (t >= p.start && t < p.stop) return Math.min(1, (t - p.start) / 0.5, (p.stop - t) / 0.5);
  }
  return 0;
}

/** Rises from the start to the peak and falls to the end (a raised cosine on each side). */
export function rippleEnvelope(r: RippleEvent, t: number): number {
  if (t <= r.start || t >= r.end) return 0;
  const side = t < r.peak ? (t - r.start) / (r.peak - r.start) : (r.end - t) / (r.end - r.peak);
  return 0.5 - 0.5 * cos(Math.PI * side);
}
