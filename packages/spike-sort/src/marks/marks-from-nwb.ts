import { butter, madNoiseLevel, sosfiltfilt } from '@spyglass-wasm/dsp-wasm';
import type { NwbFile, NwbSource } from '@spyglass-wasm/nwb-io';
import { detectPeaks } from '../detect/detect-peaks.js';
import { withGroups } from '../sort/sort-nwb.js';
import { type Marks, extractMarks } from './extract-marks.js';

export interface MarksFromNwbOptions {
  /** Detection threshold in MAD noise units (default 5). */
  threshold?: number;
  /** Bandpass, Hz (default 600–6000). */
  band?: readonly [number, number];
  series?: string;
  group?: string;
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
      const [lo, hi] = options.band ?? [600, 6000];
      const x = sosfiltfilt(butter(5, [lo, Math.min(hi, 0.45 * sel.fs)], { btype: 'bandpass', fs: sel.fs }), sel.series.read({ channels, scale: 'microvolts' }));
      const peaks = detectPeaks(x, { noise: madNoiseLevel(x), threshold: options.threshold ?? 5, sweep: Math.round(sel.fs / 2000) });
      const marks = extractMarks(x, peaks, sel.fs, name);
      return { ...marks, times: Float64Array.from(peaks, (p) => sel.toTime(p.time)) };
    }),
  );
}
