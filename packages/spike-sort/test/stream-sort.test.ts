import { describe, expect, it } from 'vitest';
import { butter, madNoiseLevel, sosfiltfilt } from '@spyglass-wasm/dsp-wasm';
import { simulateStream, spikeWaveform } from '@spyglass-wasm/sim';
import { compareToTruth, sortGroup, sortStream, type GroupSorting } from '../src/index.js';

describe('simulateStream', () => {
  it('gives the same samples however the recording is read', () => {
    const s = simulateStream({ seed: 3, seconds: 4, units: 4 });
    const whole = s.read(0, s.rows).data;
    const parts = [s.read(0, 12345), s.read(12345, 61000), s.read(61000, s.rows)];
    expect(Float32Array.from(parts.flatMap((p) => Array.from(p.data)))).toEqual(whole);
  });
});

describe('sortStream: chunked, bounded-memory sorting', () => {
  it('reads 10 s at a time, learns from 40 s spread over 2 minutes, and sorts like sortGroup on the whole', () => {
    const s = simulateStream({ seed: 1, seconds: 120, units: 8, amplitudes: [30, 40, 50, 65, 85, 110, 150, 200] });
    let maxRows = 0;
    const source = {
      rows: s.rows,
      fs: s.fs,
      read: (a: number, b: number) => ((maxRows = Math.max(maxRows, b - a)), s.read(a, b)),
    };
    const progress: number[] = [];
    const streamed = sortStream(source, { chunkSeconds: 10, learnSeconds: 40, onProgress: (f) => progress.push(f) });
    expect(maxRows).toBeLessThan(11 * s.fs); // never more than a chunk and its margins at once
    expect(progress.at(-1)).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);
    const whole = sortGroup(s.read(0, s.rows), { fs: s.fs });

    const sos = butter(5, [600, 6000], { btype: 'bandpass', fs: s.fs });
    const noise = madNoiseLevel(sosfiltfilt(sos, s.read(0, 30 * s.fs)));
    const wave = Float64Array.from({ length: 300 }, (_, k) => spikeWaveform((k - 100) / s.fs));
    const peak = Math.max(...Array.from(sosfiltfilt(sos, wave), Math.abs));
    const truth = s.units.map((u) => u.spikeTimes);
    const score = (g: GroupSorting) =>
      compareToTruth(
        truth,
        g.units.map((u) => u.samples.map((v) => v / s.fs)),
      );
    const a = score(streamed),
      b = score(whole);
    const rows = s.units.map((u, i) => ({
      snr: +((u.amplitude * peak) / noise[u.gains.indexOf(1)]).toFixed(2),
      streamed: +a[i].accuracy.toFixed(3),
      whole: +b[i].accuracy.toFixed(3),
    }));
    console.table(rows);
    expect(rows.filter((r) => r.snr >= 5).length).toBe(4);
    for (const r of rows.filter((q) => q.snr >= 5)) {
      expect(r.streamed, `SNR ${r.snr}`).toBeGreaterThanOrEqual(0.9);
      expect(Math.abs(r.streamed - r.whole), `SNR ${r.snr}`).toBeLessThan(0.02);
    }
    // Spike times are the recording's samples, in order; one feature row per detection.
    for (const u of streamed.units)
      for (let i = 1; i < u.samples.length; i++) expect(u.samples[i]).toBeGreaterThan(u.samples[i - 1]);
    expect(streamed.features.length).toBe(streamed.peaks.length * streamed.components);
  }, 240_000);
});
