import { ParameterError, type Matrix } from '@spyglass-wasm/core';
import { createRng } from '@spyglass-wasm/core';

export interface NoiseClipOptions {
  /** Samples before and after each clip's centre: clips are (before + after) × channels, like `extractSnippets`. */
  before: number;
  after: number;
  /** Clips wanted (SpikeInterface's max_spikes: 1000). Fewer come back when fewer places are free. */
  count: number;
  seed?: number;
  /**
   * No clip centre within this many samples of a detected peak (default before + after: no clip
   * overlaps a peak's own snippet). 0 takes clips anywhere, as SpikeInterface's
   * `get_random_data_chunks` does.
   */
  exclude?: number;
}

/**
 * Clips of the recording at random times away from detected peaks, for the noise-overlap metric
 * (`noiseOverlap`): `count` distinct centres drawn uniformly (seeded) from the samples at least
 * `exclude` from every peak whose clip lies inside the data, returned in time order as
 * count × (before + after) × channels float32, the layout of `extractSnippets`' waveforms.
 *
 * @example
 * const clips = sampleNoiseClips(filtered, peaks, { before: 30, after: 60, count: 1000, seed: 1 });
 */
export function sampleNoiseClips(
  x: Matrix<Float32Array | Float64Array>,
  peaks: readonly { time: number }[],
  options: NoiseClipOptions,
): Float32Array {
  const { before, after, count } = options;
  for (const [name, v] of [
    ['before', before],
    ['after', after],
    ['count', count],
  ] as const)
    if (!Number.isInteger(v) || v < 0) throw new ParameterError(name, 'a whole number >= 0', v);
  const exclude = options.exclude ?? before + after;
  if (!(exclude >= 0)) throw new ParameterError('exclude', 'a number of samples >= 0', exclude);
  const { data, rows, cols } = x;
  const length = before + after;
  // Free centres: [before, rows - after] minus (time - exclude, time + exclude) around every peak,
  // as sorted, disjoint integer intervals [lo, hi].
  const lo0 = before,
    hi0 = rows - after;
  const free: [number, number][] = [];
  if (hi0 >= lo0) {
    // A centre c is taken only when |c − time| >= exclude for every peak.
    const times =
      exclude > 0
        ? peaks
            .map((p) => p.time)
            .filter(Number.isFinite)
            .sort((a, b) => a - b)
        : [];
    let from = lo0;
    for (const t of times) {
      const a = Math.floor(t - exclude) + 1,
        b = Math.ceil(t + exclude) - 1;
      if (a > from) free.push([from, Math.min(a - 1, hi0)]);
      from = Math.max(from, b + 1);
      if (from > hi0) break;
    }
    if (from <= hi0) free.push([from, hi0]);
  }
  const intervals = free.filter(([a, b]) => b >= a);
  const total = intervals.reduce((s, [a, b]) => s + b - a + 1, 0);
  const m = Math.min(count, total);
  // m distinct positions of 0..total-1, uniformly (Floyd's sampling), then mapped to sample times.
  const rng = createRng(options.seed ?? 1);
  const chosen = new Set<number>();
  for (let j = total - m; j < total; j++) {
    const r = rng.int(j + 1);
    chosen.add(chosen.has(r) ? j : r);
  }
  const positions = [...chosen].sort((a, b) => a - b);
  const out = new Float32Array(m * length * cols);
  let iv = 0,
    offset = 0;
  positions.forEach((p, i) => {
    while (p >= offset + intervals[iv][1] - intervals[iv][0] + 1) {
      offset += intervals[iv][1] - intervals[iv][0] + 1;
      iv++;
    }
    const centre = intervals[iv][0] + (p - offset);
    out.set(data.subarray((centre - before) * cols, (centre + after) * cols), i * length * cols);
  });
  return out;
}
