// The lfp-band step reads its LFP in windows (never whole) and writes its outputs in pieces: against
// dsp-wasm's bandAnalysis on the whole LFP (precision 'float64'), per span of the interval, on the
// bundled tetrode session, on a simulated 150 s session, and (dsp-wasm's windowed path, 997-row
// windows, as on the others) on a public SpikeGLX LF recording. The band and timestamps are
// identical; phase and power within the tolerance dsp-wasm's lfp-band-windows test states (the
// whole array's FFT wraps each span's ends around).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bandAnalysis, bandAnalysisInWindows } from '@spyglass-wasm/dsp-wasm';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { loadResult, openResult, openStore, resultDigest, runStep, type Store } from '@spyglass-wasm/provenance';
import { simulateRestRunSession, writeSessionNwb } from '@spyglass-wasm/sim';
import { lfpBandStep, lfpStep } from '../src/index.js';
import { publicLf } from './public-lf.js';
import { recordingReads, wholeBuffers } from './store-views.js';

const FIXTURE = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;
// NWB GUIDE's example session (not ours): a SpikeGLX LF series, 13 163 rows × 384 channels at 2.5 kHz
const BAND = { band: [5, 11] as [number, number], transition: 1, attenuation: 60 };

let dir: string, store: Store, whole: Store, simulated: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spyglass-lfp-band-windows-'));
  store = await openStore({ store: join(dir, 'a', '.spyglass'), durable: false });
  whole = await openStore({ store: join(dir, 'b', '.spyglass'), durable: false });
  simulated = join(dir, 'sim.nwb');
  await writeSessionNwb(simulateRestRunSession({ seed: 5, seconds: 150, fs: 30000, nTetrodes: 1 }), simulated);
}, 300_000);
afterAll(async () => {
  await store?.close();
  await whole?.close();
});

/** First row at or after t. */
const rowAt = (time: Float64Array, t: number) => time.findIndex((x) => x >= t);

/**
 * Largest |Δ analytic signal| (from phase and power) over the span's RMS amplitude, on rows at
 * least `from` rows from the span's ends.
 */
function analyticError(
  a: { phase: Float64Array; power: Float64Array },
  b: { phase: Float64Array; power: Float64Array },
  cols: number,
  from: number,
) {
  const rows = b.power.length / cols;
  const rms = Math.sqrt(b.power.reduce((s, p) => s + p, 0) / b.power.length);
  let worst = 0;
  for (let i = from * cols; i < (rows - from) * cols; i++) {
    const [ra, rb] = [Math.sqrt(a.power[i]), Math.sqrt(b.power[i])];
    const d = Math.hypot(
      ra * Math.cos(a.phase[i]) - rb * Math.cos(b.phase[i]),
      ra * Math.sin(a.phase[i]) - rb * Math.sin(b.phase[i]),
    );
    worst = Math.max(worst, d / rms);
  }
  return worst;
}

describe('lfp-band read in windows', () => {
  for (const [label, file, interval] of [
    ['tetrode-session.nwb, whole', () => FIXTURE, undefined],
    [
      'a simulated 150 s session, two spans',
      () => simulated,
      [
        [12, 70],
        [81.5, 147],
      ],
    ],
  ] as const) {
    it(`gives the whole-array band, phase and power (${label})`, async () => {
      const lfp = await runStep(store, lfpStep, { raw: { file: file() } });
      const reader = await openResult(store, lfp.result);
      const [rows, cols] = reader.arrays.data.shape;
      const time = (await reader.read('timestamps')) as Float64Array;
      const data = (await reader.read('data')) as Float32Array;
      const fs = reader.json.fs as number;
      const ranges = interval ? interval.map(([a, b]) => [rowAt(time, a), rowAt(time, b)]) : [[0, rows]];
      const step = await runStep(
        store,
        lfpBandStep,
        { lfp: { result: lfp.key } },
        interval ? { overrides: { interval: interval.map((x) => [...x]) } } : {},
      );
      const out = await loadResult(store, step.result);
      let at = 0;
      for (const [a, b] of ranges) {
        const n = b - a;
        const span = { data: data.subarray(a * cols, b * cols), rows: n, cols };
        const ref = bandAnalysis(span, { fs, ...BAND, precision: 'float64' });
        const part = (k: 'filtered' | 'phase' | 'power') => out.arrays[k].data.subarray(at * cols, (at + n) * cols);
        expect(part('filtered')).toEqual(ref.filtered.data);
        expect(out.arrays.timestamps.data.subarray(at, at + n)).toEqual(time.subarray(a, b));
        const got = { phase: part('phase') as Float64Array, power: part('power') as Float64Array };
        const want = { phase: ref.phase.data, power: ref.power.data };
        expect(analyticError(got, want, cols, fs)).toBeLessThan(2e-2);
        expect(analyticError(got, want, cols, 10 * fs)).toBeLessThan(2e-3);
        // hundreds of windows
        const many = { phase: new Float64Array(n * cols), power: new Float64Array(n * cols) };
        let windows = 0;
        for await (const w of bandAnalysisInWindows(
          { rows: n, cols, read: (s, e) => span.data.subarray(s * cols, e * cols) },
          { fs, ...BAND, windowRows: 997 },
        )) {
          windows++;
          expect(w.filtered.data).toEqual(ref.filtered.data.subarray(w.start * cols, w.stop * cols));
          many.phase.set(w.phase.data, w.start * cols);
          many.power.set(w.power.data, w.start * cols);
        }
        expect(windows).toBeGreaterThan(20);
        expect(analyticError(many, want, cols, fs)).toBeLessThan(2e-2);
        expect(analyticError(many, want, cols, 10 * fs)).toBeLessThan(2e-3);
        at += n;
      }
      expect(out.arrays.filtered.shape).toEqual([at, cols]);
    }, 300_000);
  }

  it('gives the whole-array band, phase and power on a recording we did not make (SpikeGLX LF, 8 channels)', async () => {
    const cols = 8;
    const { lfp, rows, fs } = await publicLf(cols);
    const ref = bandAnalysis(lfp, { fs, ...BAND, precision: 'float64' });
    const got = { phase: new Float64Array(rows * cols), power: new Float64Array(rows * cols) };
    for await (const w of bandAnalysisInWindows(
      { rows, cols, read: (a, b) => lfp.data.subarray(a * cols, b * cols) },
      { fs, ...BAND, windowRows: 997 },
    )) {
      expect(w.filtered.data).toEqual(ref.filtered.data.subarray(w.start * cols, w.stop * cols));
      got.phase.set(w.phase.data, w.start * cols);
      got.power.set(w.power.data, w.start * cols);
    }
    const want = { phase: ref.phase.data, power: ref.power.data };
    // 5.3 s of cortex LF with offsets of thousands of µV (a 60 dB stopband lets ~1e-3 of them into
    // the band, whose Hilbert transform is not local) and no sample far from an end: measured 8.8e-2
    // of the RMS amplitude 0.5 s from the ends, 4.1e-2 at 1 s (the whole array's wrap, as above)
    expect(analyticError(got, want, cols, Math.round(fs / 2))).toBeLessThan(0.12);
    expect(analyticError(got, want, cols, fs)).toBeLessThan(0.06);
  }, 120_000);

  it('never reads the LFP whole (its largest read of data is a window with margins), writes the analysis file in windows', async () => {
    const lfp = await runStep(store, lfpStep, { raw: { file: simulated } });
    const { repo, reads } = recordingReads(store);
    const r = await runStep(repo, lfpBandStep, { lfp: { result: lfp.key } }, { overrides: { transition: 1.5 } });
    expect(r.cached).toBe(false);
    const [rows, cols] = (await loadResult(store, lfp.result)).arrays.data.shape;
    const lfpReads = reads.filter((x) => x.name === lfp.result.file).map((x) => x.bytes);
    expect([rows, cols]).toEqual([150_000, 4]);
    expect(lfpReads.length).toBeGreaterThan(3);
    // the data (16 bytes a row) at most a window of 60 000 rows with 5 s and the band-pass's reach
    // on each side (~1.2 MB), never the 2.4 MB whole
    expect(Math.max(...lfpReads)).toBeLessThan(rows * 8);
    // the analysis file's series, written in windows of 60 000 rows, hold the stored samples
    const d = await loadResult(store, r.result);
    const nwb = await openNwb(join(store.resultsDir, r.result.summary.analysisFile as string));
    try {
      const at = (k: string) => nwb.numbers(`/processing/ecephys/${k}/data`);
      expect(at('phase')).toEqual(d.arrays.phase.data);
      expect(at('power')).toEqual(d.arrays.power.data);
      expect(at('FilteredEphys/filtered')).toEqual(Float64Array.from(d.arrays.filtered.data));
      expect(nwb.numbers('/processing/ecephys/phase/timestamps')).toEqual(d.arrays.timestamps.data);
    } finally {
      nwb.close();
    }
  }, 300_000);

  it('gives the key and bytes of a store that reads results whole, and is reused', async () => {
    const run = async (repo: Parameters<typeof runStep>[0]) => {
      const lfp = await runStep(repo, lfpStep, { raw: { file: FIXTURE } });
      return runStep(repo, lfpBandStep, { lfp: { result: lfp.key } }, { overrides: { interval: [[3, 20]] } });
    };
    const a = await run(store);
    const b = await run(wholeBuffers(whole));
    expect(a.key).toBe(b.key);
    expect(await resultDigest(await loadResult(store, a.result))).toBe(
      await resultDigest(await loadResult(wholeBuffers(whole), b.result)),
    );
    expect((await run(wholeBuffers(whole))).cached).toBe(true);
  }, 300_000);
});
