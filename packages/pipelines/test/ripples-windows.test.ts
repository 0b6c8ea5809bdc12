// The ripples step reads its LFP in windows (never whole): its events against the whole-array
// detectors (bandFilter in float64, kayRippleDetector / karlssonRippleDetector) on the same LFP and
// speed, on the bundled tetrode session and on a simulated 150 s session; the windowed path also
// with 997-row windows (hundreds of windows) and with a window edge inside an event. Sample indices and times
// are identical, z within the tolerance dsp-wasm's events-windowed test states.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bandFilter,
  detectRipplesInWindows,
  karlssonRippleDetector,
  kayRippleDetector,
  type DetectedEvent,
} from '@spyglass-wasm/dsp-wasm';
import { loadResult, openResult, openStore, resultDigest, runStep, type Store } from '@spyglass-wasm/provenance';
import { simulateRestRunSession, writeSessionNwb } from '@spyglass-wasm/sim';
import { lfpStep, positionStep, ripplesStep } from '../src/index.js';
import { gatePosition, gateSpeedAt } from '../src/steps/speed-gate.js';
import { publicLf } from './public-lf.js';
import { recordingReads, wholeBuffers } from './store-views.js';

const FIXTURE = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;
// NWB GUIDE's example session (not ours): a SpikeGLX LF series, 13 163 rows × 384 channels at 2.5 kHz
const TOLERANCE = { kay: 5e-6, karlsson: 5e-5 };

let dir: string, store: Store, whole: Store, simulated: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spyglass-ripple-windows-'));
  store = await openStore({ store: join(dir, 'a', '.spyglass'), durable: false });
  whole = await openStore({ store: join(dir, 'b', '.spyglass'), durable: false });
  simulated = join(dir, 'sim.nwb');
  await writeSessionNwb(
    simulateRestRunSession({
      seed: 5,
      seconds: 150,
      fs: 30000,
      nTetrodes: 1,
      ripples: { rateHz: 1.5, duringRunHz: 1 },
    }),
    simulated,
  );
}, 300_000);
afterAll(async () => {
  await store?.close();
  await whole?.close();
});

/** The step's inputs on `file`, and the whole-array detector's inputs from the same results. */
async function prepare(file: string) {
  const lfp = await runStep(store, lfpStep, { raw: { file } });
  const position = await runStep(store, positionStep, { session: { file } });
  const reader = await openResult(store, lfp.result);
  const [rows, cols] = reader.arrays.data.shape;
  const time = (await reader.read('timestamps')) as Float64Array;
  const pos = await gatePosition({
    position: {
      kind: 'result',
      id: position.key,
      key: position.key,
      data: await loadResult(store, position.result),
      summary: {},
    },
  });
  const speed = gateSpeedAt(pos, time, { speedWindow: 1 })!;
  const fs = reader.json.fs as number;
  const data = (await reader.read('data')) as Float32Array;
  const band = { band: [150, 250] as [number, number], transition: 25 };
  const options = (detector: 'kay' | 'karlsson') => ({
    fs,
    time,
    speed,
    zscoreThreshold: detector === 'kay' ? 2 : 3,
    minimumDuration: 0.015,
    smoothingSigma: 0.004,
    speedThreshold: 4,
  });
  return {
    lfp,
    position,
    whole: (detector: 'kay' | 'karlsson') =>
      (detector === 'kay' ? kayRippleDetector : karlssonRippleDetector)(
        bandFilter({ data, rows, cols }, { fs, ...band, precision: 'float64' }),
        options(detector),
      ),
    windowed: (detector: 'kay' | 'karlsson', windowRows: number) =>
      detectRipplesInWindows(
        { rows, cols, read: async (a, b) => (await reader.read('data', a, b)) as Float32Array },
        { ...options(detector), detector, band, windowRows },
      ),
  };
}

/**
 * Same events: sample indices within `samples` of each other (times and speeds then those
 * samples'), z and peak frequency within `tol` relative.
 */
function expectSame(a: DetectedEvent[], b: DetectedEvent[], tol: number, samples = 0) {
  expect(a.length).toBe(b.length);
  const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1e-12, Math.abs(y));
  for (const [i, e] of a.entries()) {
    const f = b[i];
    for (const k of ['startIndex', 'peakIndex', 'endIndex'] as const)
      expect(Math.abs(e[k] - f[k]), `event ${i} ${k}`).toBeLessThanOrEqual(samples);
    if (samples === 0) expect([e.start, e.peak, e.end, e.speedAtPeak]).toEqual([f.start, f.peak, f.end, f.speedAtPeak]);
    expect(Math.max(rel(e.maxZscore, f.maxZscore), rel(e.meanZscore, f.meanZscore))).toBeLessThan(tol);
    expect(rel(e.peakFrequency, f.peakFrequency)).toBeLessThan(tol);
  }
}

describe('ripples read in windows', () => {
  for (const [label, file, fewest] of [
    ['tetrode-session.nwb', () => FIXTURE, 1],
    ['a simulated 150 s session', () => simulated, 10],
  ] as const) {
    it(`gives the whole-array events (${label})`, async () => {
      const p = await prepare(file());
      for (const detector of ['kay', 'karlsson'] as const) {
        const reference = p.whole(detector);
        expect(reference.length).toBeGreaterThanOrEqual(fewest);
        // hundreds of windows; and windows whose first edge falls inside the first event
        expectSame(await p.windowed(detector, 997), reference, TOLERANCE[detector]);
        const first = reference[0];
        const edge = Math.ceil((first.startIndex + first.endIndex) / 2);
        expect(first.startIndex < edge && edge <= first.endIndex).toBe(true);
        expectSame(await p.windowed(detector, edge), reference, TOLERANCE[detector]);
        // the step: its default windows, through the store
        const step = await runStep(
          store,
          ripplesStep,
          {
            lfp: { result: p.lfp.key },
            position: { result: p.position.key },
          },
          { params: detector },
        );
        const events = (await loadResult(store, step.result)).json.events as DetectedEvent[];
        expectSame(events, reference, TOLERANCE[detector]);
      }
    }, 300_000);
  }

  it('gives the whole-array events on a recording we did not make (SpikeGLX LF, 8 channels)', async () => {
    const cols = 8;
    const { lfp, rows, fs } = await publicLf(cols);
    const band = { band: [150, 250] as [number, number], transition: 25 };
    const filtered = bandFilter(lfp, { fs, ...band, precision: 'float64' });
    for (const detector of ['kay', 'karlsson'] as const) {
      // 5 s of cortex LF without ripples: z 1 gives events to compare (14 with Kay)
      const options = { fs, zscoreThreshold: 1 };
      const reference = (detector === 'kay' ? kayRippleDetector : karlssonRippleDetector)(filtered, options);
      expect(reference.length).toBeGreaterThan(0);
      const read = (a: number, b: number) => lfp.data.slice(a * cols, b * cols) as Float32Array;
      const events = await detectRipplesInWindows(
        { rows, cols, read },
        { ...options, detector, band, windowRows: 997 },
      );
      // here the 60 dB stopband lets ~1e-3 of the LF's offsets (thousands of µV) into the band, whose
      // envelope is then not local: z moves by up to ~1e-3, and an event's edge by one sample where
      // a z is that close to 0 (3 of 47 Karlsson edges); the whole path's own FFT wraps 5 s around
      expectSame(events, reference, 1e-2, 1);
    }
  }, 120_000);

  it('never reads the LFP whole: its largest read is a window with margins', async () => {
    const lfp = await runStep(store, lfpStep, { raw: { file: simulated } });
    const position = await runStep(store, positionStep, { session: { file: simulated } });
    const [rows, cols] = (await loadResult(store, lfp.result)).arrays.data.shape;
    expect([rows, cols]).toEqual([150_000, 4]);
    const largestRead = async (params: string, zscoreThreshold: number) => {
      const { repo, reads } = recordingReads(store);
      const r = await runStep(
        repo,
        ripplesStep,
        { lfp: { result: lfp.key }, position: { result: position.key } },
        { params, overrides: { zscoreThreshold } }, // not computed by the tests before
      );
      expect(r.cached).toBe(false);
      const lfpReads = reads.filter((x) => x.name === lfp.result.file).map((x) => x.bytes);
      expect(lfpReads.length).toBeGreaterThan(3);
      return Math.max(...lfpReads);
    };
    // the data (16 bytes a row) never whole: at most a window of 60 000 rows with 1 s and the
    // band-pass's reach on each side (~1 MB); the timestamps (8 bytes a row) a window at a time,
    // with either detector (Karlsson's read them whole before it streamed)
    expect(await largestRead('karlsson', 2.5)).toBeLessThan(rows * 8);
    expect(await largestRead('kay', 2.25)).toBeLessThan(rows * 8);
  }, 300_000);

  it('gives the key and bytes of a store that reads results whole, and is reused', async () => {
    const run = async (s: Store, repo = wholeBuffers(s)) => {
      const lfp = await runStep(repo, lfpStep, { raw: { file: FIXTURE } });
      const position = await runStep(repo, positionStep, { session: { file: FIXTURE } });
      return runStep(repo, ripplesStep, { lfp: { result: lfp.key }, position: { result: position.key } });
    };
    const a = await runStep(store, ripplesStep, {
      lfp: { result: (await runStep(store, lfpStep, { raw: { file: FIXTURE } })).key },
      position: { result: (await runStep(store, positionStep, { session: { file: FIXTURE } })).key },
    });
    const b = await run(whole);
    expect(a.key).toBe(b.key);
    expect(await resultDigest(await loadResult(store, a.result))).toBe(
      await resultDigest(await loadResult(wholeBuffers(whole), b.result)),
    );
    expect((await run(whole)).cached).toBe(true);
  }, 300_000);
});
