import { checkNumber, concatArrays, median } from '@spyglass-wasm/core';
import { madNoiseLevel } from '@spyglass-wasm/dsp-wasm';
import type { NwbFile, NwbSource } from '@spyglass-wasm/nwb-io';
import { detectPeaks, extractMarks, frontEnd, sortingBandpass, type Marks } from '@spyglass-wasm/spike-sort';
import type { GroupSelection } from '../session/session.js';
import { withGroups } from './sort-nwb.js';

export interface MarksFromNwbOptions {
  /** Detection threshold in MAD noise units (default 5). */
  threshold?: number;
  /** Bandpass, Hz (default 600–6000). */
  band?: readonly [number, number];
  series?: string;
  group?: string;
  /** Only rows [first, end) of the series (an interval; default all). */
  rows?: readonly [number, number];
  /**
   * Read a window at a time, all groups from each window (default: for more than 600 s, as
   * sortNwb): memory flat in duration. The noise level is then the median of per-window MAD levels
   * of up to `learnSeconds` (120) of windows spread over the rows, not the MAD of all rows.
   */
  stream?: boolean;
  /** Seconds per window when streamed (default 5) and seconds of windows the noise is learned from. */
  chunkSeconds?: number;
  learnSeconds?: number;
}

/**
 * Clusterless marks of every electrode group of a file's raw series: band-pass, threshold
 * detection, and each spike's amplitude on every channel of its group (µV), times in the file's
 * time base. No clustering: the input of clusterless decoding.
 *
 * @example
 * const groups = await marksFromNwb('session.nwb'); // [{ group, times, marks, channels }, …]
 */
export function marksFromNwb(source: NwbSource | NwbFile, options: MarksFromNwbOptions = {}): Promise<Marks[]> {
  return withGroups(source, options, (sel) => {
    const [first, end] = options.rows ?? [0, sel.info.shape[0]];
    if (options.stream ?? (end - first) / sel.fs > 600) return streamedMarks(sel, first, end, options);
    return sel.groups.map(({ name, channels }) => {
      // sample i of the rows read is row first + i of the series
      // the sorting front end: the same bandpass and artifact blanking as sortNwb
      const x = frontEnd(
        sel.series.read({
          channels,
          scale: 'microvolts',
          ...(options.rows ? { rows: [first, options.rows[1]] as [number, number] } : {}),
        }),
        sel.fs,
        { band: options.band },
      );
      const peaks = detectPeaks(x, {
        noise: madNoiseLevel(x),
        threshold: options.threshold ?? 5,
        sweep: Math.round(sel.fs / 2000),
      });
      const marks = extractMarks(x, peaks, { fs: sel.fs, group: name });
      return { ...marks, times: Float64Array.from(peaks, (p) => sel.toTime(first + p.time)) };
    });
  });
}

/**
 * Marks of rows [first, end) a window at a time: each window (all groups' channels in one read, so
 * each chunk of the file is decompressed once) is filtered per group with `pad` rows either side
 * (the filter's response has died out by then), and only its own rows may hold peaks.
 */
function streamedMarks(sel: GroupSelection, first: number, end: number, options: MarksFromNwbOptions): Marks[] {
  const fs = sel.fs;
  const window = Math.round(fs * checkNumber('chunkSeconds', options.chunkSeconds ?? 5, { min: 0.5 }));
  const pad = Math.round(0.1 * fs),
    sweep = Math.round(fs / 2000);
  const sos = sortingBandpass(fs, { band: options.band });
  const columns = [...new Set(sel.groups.flatMap((g) => g.channels))].sort((a, b) => a - b);
  const windows = Math.ceil((end - first) / window);
  /** Window w (rows of the series), read with margins, filtered per group: [group][rows × channels]. */
  const filtered = (w: number) => {
    const a = first + w * window,
      b = Math.min(end, a + window);
    const lo = Math.max(first, a - pad),
      hi = Math.min(end, b + pad);
    const all = sel.series.read({ rows: [lo, hi], channels: columns, scale: 'microvolts' });
    const groups = sel.groups.map(({ channels }) => {
      const at = channels.map((c) => columns.indexOf(c));
      const x = new Float32Array((hi - lo) * channels.length);
      for (let r = 0; r < hi - lo; r++)
        for (let j = 0; j < at.length; j++) x[r * at.length + j] = all.data[r * columns.length + at[j]];
      return frontEnd({ data: x, rows: hi - lo, cols: channels.length }, fs, { filtered: false, sos });
    });
    return { groups, lo, own: [a - lo, b - lo] as [number, number] };
  };
  // 1. Noise per channel: the median of MAD levels over windows spread evenly over the rows.
  const learn = Math.min(
    windows,
    Math.max(1, Math.round(checkNumber('learnSeconds', options.learnSeconds ?? 120, { min: 1 }) / (window / fs))),
  );
  const picks = [...new Set(Array.from({ length: learn }, (_, i) => Math.floor(((i + 0.5) * windows) / learn)))];
  const levels = sel.groups.map(() => [] as Float64Array[]);
  for (const w of picks) filtered(w).groups.forEach((x, g) => levels[g].push(madNoiseLevel(x)));
  const noise = levels.map((per) => Float64Array.from(per[0], (_, c) => median(per.map((l) => l[c]))));
  // 2. Every window: detection on its own rows, marks from the filtered samples.
  const found = sel.groups.map(() => ({ times: [] as number[], marks: [] as Float32Array[] }));
  for (let w = 0; w < windows; w++) {
    const { groups, lo, own } = filtered(w);
    groups.forEach((x, g) => {
      const peaks = detectPeaks(x, { noise: noise[g], threshold: options.threshold ?? 5, sweep, rows: own });
      const m = extractMarks(x, peaks, { fs, group: sel.groups[g].name });
      found[g].marks.push(m.marks);
      for (const p of peaks) found[g].times.push(sel.toTime(lo + p.time));
    });
  }
  return sel.groups.map(({ name, channels }, g) => ({
    group: name,
    times: Float64Array.from(found[g].times),
    marks: concatArrays(found[g].marks, Float32Array),
    channels: channels.length,
  }));
}
