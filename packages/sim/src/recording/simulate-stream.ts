import { createRng } from '@spyglass-wasm/core';
import { addSpikes, noiseRow, recordingModel, type RecordingSpec, type SimulatedUnit } from './simulate-recording.js';

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
  const { fs, channels, rows, noise, units } = recordingModel(spec);
  const read = (start: number, end: number) => {
    const n = end - start;
    const data = new Float32Array(n * channels),
      row = new Float32Array(channels);
    for (let block = Math.floor(start / fs); block * fs < end; block++) {
      const r = createRng((spec.seed * 1_000_003 + block * 7919) >>> 0);
      const b0 = block * fs;
      // every row of the block is drawn, so a window's samples do not depend on where it starts
      for (let t = b0; t < Math.min(b0 + fs, rows); t++) {
        noiseRow(r, noise, row);
        if (t >= start && t < end) data.set(row, (t - start) * channels);
      }
    }
    addSpikes(data, start, end, channels, fs, units);
    return { data, rows: n, cols: channels };
  };
  return { rows, channels, fs, units, read };
}
