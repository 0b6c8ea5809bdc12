import { checkNumber, checkOptionNames, ParameterError, type Matrix } from '@spyglass-wasm/core';
import { butter, madNoiseLevel, sosfiltfilt } from '@spyglass-wasm/dsp-wasm';

/** Second-order sections, as butter() returns them. */
type Sos = ReturnType<typeof butter>;

/** What every sorting path does to the raw signal before detection. */
export interface FrontEndOptions {
  /** Bandpass, Hz (default 600–6000, Spyglass's tetrode band; the top is kept below 0.45 fs). */
  band?: readonly [number, number];
  /** Samples beyond this (µV, any channel) are blanked ±1 ms (default 3000). */
  artifactThreshold?: number;
}

/**
 * The sorting bandpass: 5th-order Butterworth, zero phase when applied with sosfiltfilt (`band` in
 * Hz, default 600–6000; the top is kept below 0.45 fs).
 *
 * @example
 * const x = sosfiltfilt(sortingBandpass(30000, { band: [300, 6000] }), raw);
 */
export function sortingBandpass(fs: number, options: { band?: readonly [number, number] } = {}): Sos {
  checkOptionNames('sortingBandpass', options, ['band']);
  const [lo, hi] = options.band ?? [600, 6000];
  return butter(5, [lo, Math.min(hi, 0.45 * fs)], { btype: 'bandpass', fs });
}

/**
 * The one sorting front end, shared by whole-recording sorting, streaming sorting and clusterless
 * marks: bandpass (unless `filtered`) and artifact blanking, in µV. `sos` reuses a design.
 *
 * @example
 * const x = frontEnd(raw, 30000);              // band-passed, artifacts blanked
 * const noise = noiseLevels(x);                // MAD per channel; flat channels are an error
 */
export function frontEnd(
  raw: Matrix<Float32Array>,
  fs: number,
  options: FrontEndOptions & { filtered?: boolean; sos?: Sos } = {},
): Matrix<Float32Array> {
  checkNumber('fs', fs, { min: 0, exclusiveMin: true });
  const x = options.filtered ? raw : sosfiltfilt(options.sos ?? sortingBandpass(fs, { band: options.band }), raw);
  blankArtifacts(x, options.artifactThreshold ?? 3000, Math.round(fs / 1000));
  return x;
}

/** MAD noise level per channel, when every channel has some: a flat channel (dead, or all blanked) cannot be sorted. */
export function noiseLevels(x: Matrix<Float32Array | Float64Array>): Float64Array {
  const noise = madNoiseLevel(x);
  const flat = [...noise.keys()].filter((c) => !(noise[c] > 0));
  if (flat.length)
    throw new ParameterError(
      'x',
      'signal on every channel of the group (MAD noise > 0 after band-pass)',
      `flat channel${flat.length > 1 ? 's' : ''} ${flat.join(', ')}`,
    );
  return noise;
}

/** Zeroes ±half samples around every sample beyond `threshold` on any channel, in place. */
export function blankArtifacts(x: Matrix<Float32Array | Float64Array>, threshold: number, half: number): void {
  const { data, rows, cols } = x;
  let blankUntil = -1;
  const hits: number[] = [];
  // One flat pass (artifacts are rare: the branch is almost never taken); a row is listed once.
  for (let i = 0, n = rows * cols; i < n; i++)
    if (Math.abs(data[i]) > threshold) {
      const t = Math.floor(i / cols);
      if (hits.at(-1) !== t) hits.push(t);
    }
  for (const t of hits) {
    const from = Math.max(t - half, blankUntil + 1);
    const to = Math.min(rows - 1, t + half);
    if (to >= from) data.fill(0, from * cols, (to + 1) * cols);
    blankUntil = Math.max(blankUntil, to);
  }
}
