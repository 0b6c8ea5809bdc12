// Time windows of a sampled series: which rows a window of seconds covers, how much to pad it for
// zero-phase filtering, and min/max decimation so a window wider than the screen draws every peak.

/** How a series is placed in time: a rate from a start time (timestamps: their median rate). */
export interface Sampling {
  rate: number;
  start: number;
  rows: number;
}

/**
 * The rows [start, end) of samples whose times fall in [t0, t1), clamped to the series.
 *
 * @example
 * rowsForWindow({ rate: 30000, start: 0, rows: 900000 }, 1, 1.5); // [30000, 45000]
 */
export function rowsForWindow(s: Sampling, t0: number, t1: number): [number, number] {
  const clamp = (r: number) => Math.min(s.rows, Math.max(0, r));
  const start = clamp(Math.ceil((t0 - s.start) * s.rate - 1e-9));
  const end = clamp(Math.ceil((t1 - s.start) * s.rate - 1e-9));
  return [start, Math.max(start, end)];
}

/** Rows [start, end) widened by `pad` on each side, within [0, rows); and the offset of `start` inside. */
export function padRows(
  [start, end]: readonly [number, number],
  pad: number,
  rows: number,
): { rows: [number, number]; offset: number } {
  const a = Math.max(0, start - pad);
  return { rows: [a, Math.min(rows, end + pad)], offset: start - a };
}

/** A series reduced for drawing: x (s) and one y array per channel. */
export interface Decimated {
  x: Float64Array;
  ys: Float32Array[];
  /** Whether each x bucket holds a min and a max (true) or samples are drawn one to one. */
  envelope: boolean;
}

/**
 * Channels of a (rows × cols) row-major window, at most `buckets` min/max pairs per channel: each
 * bucket gives two points (its min and its max, in the order they occur) so spikes survive; a
 * window with fewer rows than 2 × buckets is returned sample by sample.
 *
 * @example
 * const { x, ys } = minMaxDecimate(window.data, window.rows, window.cols, { t0: 1, rate: 30000, buckets: 1200 });
 */
export function minMaxDecimate(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  options: { t0: number; rate: number; buckets: number; channels?: readonly number[] },
): Decimated {
  const { t0, rate } = options;
  const channels = options.channels ?? Array.from({ length: cols }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(options.buckets));
  if (rows <= 2 * buckets) {
    const x = Float64Array.from({ length: rows }, (_, i) => t0 + i / rate);
    const ys = channels.map((c) => Float32Array.from({ length: rows }, (_, i) => data[i * cols + c]));
    return { x, ys, envelope: false };
  }
  const x = new Float64Array(2 * buckets);
  const ys = channels.map(() => new Float32Array(2 * buckets));
  for (let b = 0; b < buckets; b++) {
    const r0 = Math.floor((b * rows) / buckets);
    const r1 = Math.floor(((b + 1) * rows) / buckets);
    x[2 * b] = t0 + r0 / rate;
    x[2 * b + 1] = t0 + (r0 + (r1 - r0) / 2) / rate;
    // a plain loop per channel, striding down the bucket's rows (they fit in cache): about twice
    // as fast as a callback per channel with an index product per sample
    for (let k = 0; k < channels.length; k++) {
      let min = Infinity,
        max = -Infinity,
        minAt = r0,
        maxAt = r0;
      for (let r = r0, i = r0 * cols + channels[k]; r < r1; r++, i += cols) {
        const v = data[i];
        if (v < min) ((min = v), (minAt = r));
        if (v > max) ((max = v), (maxAt = r));
      }
      const y = ys[k];
      y[2 * b] = minAt <= maxAt ? min : max;
      y[2 * b + 1] = minAt <= maxAt ? max : min;
    }
  }
  return { x, ys, envelope: true };
}

/**
 * Parses a channel list such as "0-3, 8, 10-11" into sorted unique indices below `count`.
 * Returns undefined for text that is not a list of integers and ranges.
 */
export function parseChannelList(text: string, count: number): number[] | undefined {
  const out = new Set<number>();
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]),
      b = m[2] === undefined ? a : Number(m[2]);
    for (let c = Math.min(a, b); c <= Math.max(a, b) && c < count; c++) out.add(c);
  }
  return [...out].sort((x, y) => x - y);
}

/** Writes indices back as ranges: [0,1,2,3,8] -> "0-3, 8". */
export function formatChannelList(channels: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < channels.length;) {
    let j = i;
    while (j + 1 < channels.length && channels[j + 1] === channels[j] + 1) j++;
    parts.push(j > i ? `${channels[i]}-${channels[j]}` : `${channels[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/**
 * Speed (units/s) from a position series (rows × dims, row-major) by central differences of
 * positions averaged over `smoothRows` samples (default 1: none).
 */
export function speedFromPosition(
  t: ArrayLike<number>,
  data: ArrayLike<number>,
  dims: number,
  smoothRows = 1,
): Float64Array {
  const n = t.length;
  const speed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - 1),
      b = Math.min(n - 1, i + 1);
    const dt = t[b] - t[a];
    let d2 = 0;
    for (let k = 0; k < dims; k++) {
      const d = data[b * dims + k] - data[a * dims + k];
      d2 += d * d;
    }
    speed[i] = dt > 0 ? Math.sqrt(d2) / dt : 0;
  }
  if (smoothRows <= 1) return speed;
  const out = new Float64Array(n);
  const h = Math.floor(smoothRows / 2);
  for (let i = 0; i < n; i++) {
    let s = 0,
      k = 0;
    for (let j = Math.max(0, i - h); j <= Math.min(n - 1, i + h); j++) ((s += speed[j]), k++);
    out[i] = s / k;
  }
  return out;
}
