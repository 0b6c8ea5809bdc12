import type { Matrix } from '@spyglass-wasm/core';
import type { Peak } from '../detect/detect-peaks.js';

export interface SnippetOptions {
  /** Samples before and after the peak (defaults 30 and 60: 1 ms and 2 ms at 30 kHz). */
  before?: number;
  after?: number;
  /** Align on the sub-sample peak position by cubic interpolation (default true). */
  subsample?: boolean;
}

/**
 * Waveform snippets around each peak on every channel of the group: n × (before + after) ×
 * channels, float32, aligned on the peak's sub-sample position (cubic interpolation), so a large
 * unit's spikes do not spread in feature space with the phase of the sampling grid.
 */
export function extractSnippets(
  x: Matrix<Float32Array | Float64Array>,
  peaks: readonly Peak[],
  options: SnippetOptions = {},
): { data: Float32Array; length: number; channels: number } {
  const before = options.before ?? 30,
    after = options.after ?? 60;
  const length = before + after;
  const { data, rows, cols } = x;
  const out = new Float32Array(peaks.length * length * cols);
  const at = (t: number, c: number) => data[Math.min(rows - 1, Math.max(0, t)) * cols + c];
  peaks.forEach((p, i) => {
    const center = options.subsample === false ? p.sample : p.time;
    const base = Math.floor(center);
    const f = center - base;
    const first = base - before;
    if (first - 1 >= 0 && first + length + 1 < rows) {
      // every sample the window reads is inside the data: no clamping, indices by offset (same values)
      interior(data, first * cols, length * cols, cols, f, out, i * length * cols);
      return;
    }
    for (let k = 0; k < length; k++) {
      const t = base + k - before;
      for (let c = 0; c < cols; c++) {
        let v: number;
        if (f === 0) v = at(t, c);
        else {
          v = catmullRom(at(t - 1, c), at(t, c), at(t + 1, c), at(t + 2, c), f);
        }
        out[(i * length + k) * cols + c] = v;
      }
    }
  });
  return { data: out, length, channels: cols };
}

/** out[o + j] = the window of n values starting at `from`, moved by f (catmullRom, the same arithmetic). */
function interior(
  data: Float32Array | Float64Array,
  from: number,
  n: number,
  C: number,
  f: number,
  out: Float32Array,
  o: number,
): void {
  if (f === 0) {
    for (let j = 0; j < n; j++) out[o + j] = data[from + j];
    return;
  }
  for (let j = 0; j < n; j++) {
    const a = from + j;
    out[o + j] = catmullRom(data[a - C], data[a], data[a + C], data[a + 2 * C], f);
  }
}

/** The Catmull-Rom cubic through p0..p3 (equally spaced) at fraction f of the way from p1 to p2. */
export function catmullRom(p0: number, p1: number, p2: number, p3: number, f: number): number {
  return p1 + 0.5 * f * (p2 - p0 + f * (2 * p0 - 5 * p1 + 4 * p2 - p3 + f * (3 * (p1 - p2) + p3 - p0)));
}
