import { madNoiseLevel } from '@spyglass-wasm/dsp-wasm';
import type { NwbFile, NwbSource } from '@spyglass-wasm/nwb-io';
import { detectPeaks, extractMarks, frontEnd, type Marks } from '@spyglass-wasm/spike-sort';
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
  return withGroups(source, options, (sel) =>
    sel.groups.map(({ name, channels }) => {
      // sample i of the rows read is row first + i of the series
      const first = options.rows?.[0] ?? 0;
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
    }),
  );
}
