import { createRng, type Rng, cos, exp, sin } from '@spyglass-wasm/core';

export interface PlaceSessionOptions {
  seed?: number;
  /** Session length (s), default 300. */
  seconds?: number;
  /** 'linear' track of `lengthCm` (default 200) or a square 'arena' of `lengthCm` sides. */
  environment?: 'linear' | 'arena';
  lengthCm?: number;
  /** Position sampling rate (Hz), default 30. */
  positionRate?: number;
  /** Running speed (cm/s) mean, default 25. */
  speed?: number;
  nUnits?: number;
  /** Place-field peak rate (Hz) and width (SD, cm) ranges. */
  peakHz?: [number, number];
  fieldSdCm?: [number, number];
  /** Background rate (Hz) of every unit. */
  baselineHz?: number;
  /** Tetrodes; units are spread over them (default 4). */
  nTetrodes?: number;
  /** Mark noise (µV SD per channel), default 15. */
  markNoiseUv?: number;
}

export interface PlaceUnit {
  center: number[];
  sdCm: number;
  peakHz: number;
  tetrode: number;
  /** Peak amplitude on each of the tetrode's 4 channels (µV). */
  amplitudes: number[];
  spikeTimes: Float64Array;
}

export interface PlaceSession {
  /** Position sample times (s). */
  times: Float64Array;
  /** rows × dims (1 on a track, 2 in an arena), cm. */
  position: { data: Float64Array; rows: number; cols: number };
  units: PlaceUnit[];
  /** Per tetrode: all its spikes in time order with their 4-channel marks (µV, with noise). */
  tetrodes: { times: Float64Array; marks: { data: Float64Array; rows: number; cols: number }; unit: Int32Array }[];
}

/**
 * Simulates an animal running laps on a linear track (or wandering in a square arena) with place
 * cells firing as inhomogeneous Poisson processes around Gaussian fields, and clusterless marks:
 * per spike its peak amplitude on the 4 channels of the unit's tetrode plus Gaussian noise.
 *
 * @example
 * const s = simulatePlaceSession({ seed: 1, seconds: 120, nUnits: 30 });
 * s.units[0].spikeTimes; s.tetrodes[0].marks; s.position;
 */
export function simulatePlaceSession(options: PlaceSessionOptions = {}): PlaceSession {
  const rng = createRng(options.seed ?? 1);
  const seconds = options.seconds ?? 300,
    fs = options.positionRate ?? 30;
  const length = options.lengthCm ?? 200,
    arena = options.environment === 'arena';
  const dims = arena ? 2 : 1;
  const n = Math.floor(seconds * fs);
  const times = Float64Array.from({ length: n }, (_, i) => i / fs);
  const pos = arena
    ? arenaPath(rng, n, fs, length, options.speed ?? 25)
    : trackPath(rng, n, fs, length, options.speed ?? 25);
  const nUnits = options.nUnits ?? 40,
    nTet = options.nTetrodes ?? 4;
  const [p0, p1] = options.peakHz ?? [10, 25],
    [w0, w1] = options.fieldSdCm ?? [6, 12];
  const base = options.baselineHz ?? 0.5,
    noise = options.markNoiseUv ?? 15;
  const units: PlaceUnit[] = [];
  for (let u = 0; u < nUnits; u++) {
    const center = Array.from({ length: dims }, () => rng.uniform() * length);
    const sdCm = w0 + rng.uniform() * (w1 - w0),
      peakHz = p0 + rng.uniform() * (p1 - p0);
    const amp = 60 + rng.uniform() * 240;
    const amplitudes = Array.from({ length: 4 }, (_, c) => amp * (c === 0 ? 1 : 0.3 + 0.7 * rng.uniform()));
    // Thinning: candidates at the peak rate within each position sample, kept with rate/peak.
    const maxRate = peakHz + base,
      spikes: number[] = [];
    let t = rng.exponential(maxRate);
    while (t < seconds - 1 / fs) {
      const i = Math.min(n - 2, Math.floor(t * fs)),
        f = t * fs - i;
      let d2 = 0;
      for (let k = 0; k < dims; k++) {
        const x = pos[i * dims + k] + f * (pos[(i + 1) * dims + k] - pos[i * dims + k]) - center[k];
        d2 += x * x;
      }
      const rate = base + peakHz * exp(-d2 / (2 * sdCm * sdCm));
      if (rng.uniform() * maxRate < rate) spikes.push(t);
      t += rng.exponential(maxRate);
    }
    units.push({ center, sdCm, peakHz, tetrode: u % nTet, amplitudes, spikeTimes: Float64Array.from(spikes) });
  }
  const tetrodes = Array.from({ length: nTet }, (_, tet) => {
    const ev: [number, number][] = [];
    units.forEach((un, u) => {
      if (un.tetrode === tet) for (const s of un.spikeTimes) ev.push([s, u]);
    });
    ev.sort((a, b) => a[0] - b[0]);
    const marks = new Float64Array(ev.length * 4);
    ev.forEach(([, u], i) => {
      for (let c = 0; c < 4; c++) marks[i * 4 + c] = units[u].amplitudes[c] + noise * rng.normal();
    });
    return {
      times: Float64Array.from(ev, (e) => e[0]),
      marks: { data: marks, rows: ev.length, cols: 4 },
      unit: Int32Array.from(ev, (e) => e[1]),
    };
  });
  return { times, position: { data: pos, rows: n, cols: dims }, units, tetrodes };
}

/** Laps end to end with speed varying lap to lap and short pauses at the ends. */
function trackPath(rng: Rng, n: number, fs: number, length: number, speed: number): Float64Array {
  const x = new Float64Array(n);
  let p = 0,
    dir = 1,
    v = speed,
    pause = 0;
  for (let i = 0; i < n; i++) {
    x[i] = p;
    if (pause > 0) {
      pause--;
      continue;
    }
    p += (dir * v) / fs;
    if (p >= length || p <= 0) {
      p = Math.min(length, Math.max(0, p));
      dir = -dir;
      v = speed * (0.6 + 0.8 * rng.uniform());
      pause = Math.floor(fs * (0.5 + 1.5 * rng.uniform()));
    }
  }
  return x;
}

/** A smooth correlated random walk reflected at the walls. */
function arenaPath(rng: Rng, n: number, fs: number, length: number, speed: number): Float64Array {
  const xy = new Float64Array(n * 2);
  let x = length / 2,
    y = length / 2,
    heading = rng.uniform() * 2 * Math.PI;
  for (let i = 0; i < n; i++) {
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
    heading += 0.3 * rng.normal();
    x += (speed * cos(heading)) / fs;
    y += (speed * sin(heading)) / fs;
    if (x < 0 || x > length) {
      heading = Math.PI - heading;
      x = Math.min(length, Math.max(0, x));
    }
    if (y < 0 || y > length) {
      heading = -heading;
      y = Math.min(length, Math.max(0, y));
    }
  }
  return xy;
}
