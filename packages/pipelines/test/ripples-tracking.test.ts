// Ripples on sessions the project did not tune to: rest/run with realistic camera tracking
// (jitter, dropped frames, LED swaps). The speed gate takes the position step's speed; a gate on
// raw frame differences is kept as the case that fails.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kayRippleDetector, bandFilter } from '@spyglass-wasm/dsp-wasm';
import { loadResult, openStore, runStep, type Store } from '@spyglass-wasm/provenance';
import { simulateRestRunSession, writeSessionNwb, type RestRunSessionOptions } from '@spyglass-wasm/sim';
import { lfpStep, positionStep, ripplesStep } from '../src/index.js';

let dir: string, store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spyglass-tracking-'));
  store = await openStore({ store: join(dir, '.spyglass'), durable: false });
});
afterAll(() => store?.close());

/** Recall and precision of detected [start, end] against true ripples (any overlap counts). */
function score(found: { start: number; end: number }[], truth: { start: number; end: number }[]) {
  const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
    a.start <= b.end && b.start <= a.end;
  const hit = truth.filter((t) => found.some((f) => overlaps(f, t))).length;
  const good = found.filter((f) => truth.some((t) => overlaps(f, t))).length;
  return { recall: hit / truth.length, precision: found.length ? good / found.length : 1 };
}

/** A session with ripple-band bursts while running too (1 per s of mid-lap running), which the gate must reject. */
async function session(name: string, options: RestRunSessionOptions, params?: Record<string, unknown>) {
  const s = simulateRestRunSession({
    seconds: 90,
    nTetrodes: 2,
    unitsPerTetrode: 2,
    ...options,
    ripples: { duringRunHz: 1, ...options.ripples },
  });
  const file = join(dir, `${name}.nwb`);
  await writeSessionNwb(s, file);
  const lfp = await runStep(store, lfpStep, { raw: { file } });
  const position = await runStep(store, positionStep, { session: { file } });
  const ripples = await runStep(
    store,
    ripplesStep,
    { lfp: { result: lfp.key }, position: { result: position.key } },
    { overrides: params },
  );
  const events = (await loadResult(store, ripples.result)).json.events as { start: number; end: number }[];
  return { s, file, lfp, events };
}

const REGIMES: [string, RestRunSessionOptions][] = [
  [
    '0.5 cm white jitter, 5 % dropped frames, LED swaps',
    { seed: 11, tracking: { noiseCm: 0.5, noiseTimeConstantS: 0, dropRate: 0.05, swapsPerMinute: 4 } },
  ],
  [
    '1 cm drifting error (0.5 s), 5 % dropped frames, LED swaps',
    { seed: 15, tracking: { noiseCm: 1, noiseTimeConstantS: 0.5, dropRate: 0.05, swapsPerMinute: 4 } },
  ],
  [
    '2 cm white jitter, 5 % dropped frames, LED swaps',
    { seed: 14, tracking: { noiseCm: 2, noiseTimeConstantS: 0, dropRate: 0.05, swapsPerMinute: 4 } },
  ],
  [
    '2 cm jitter correlated over 0.2 s, 5 % dropped frames, LED swaps',
    { seed: 23, tracking: { noiseCm: 2, noiseTimeConstantS: 0.2, dropRate: 0.05, swapsPerMinute: 4 } },
  ],
  // The edge: 2 cm of error drifting over 0.2 s moves the head ~3 cm/s net over a second, so the
  // 1 s gate keeps only ~70 % of rest ripples (seed 23 with 8 % drops); a longer speedWindow or a
  // higher speedThreshold recovers them at the cost of ripples in short pauses.
];

describe('ripples gated by the position step on noisy tracking', () => {
  for (const [name, options] of REGIMES) {
    it(`recall and precision >= 0.9: ${name}`, async () => {
      const { s, events } = await session(name.replace(/\W+/g, '-'), options);
      expect(s.truth.ripples.length).toBeGreaterThanOrEqual(5);
      const { recall, precision } = score(events, s.truth.ripples);
      expect(recall, `${events.length} found, ${s.truth.ripples.length} true`).toBeGreaterThanOrEqual(0.9);
      expect(precision).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('the running bursts are there: without the gate they are detected', async () => {
    const { s, events } = await session('no-gate', REGIMES[2][1], { speedThreshold: 1e6 });
    expect(s.truth.runEvents.length).toBeGreaterThanOrEqual(3);
    const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
      a.start <= b.end && b.start <= a.end;
    const runHits = s.truth.runEvents.filter((r) => events.some((e) => overlaps(e, r))).length;
    expect(runHits / s.truth.runEvents.length).toBeGreaterThanOrEqual(0.8);
  });

  it("Spyglass's instantaneous gate (speedWindow 0) misses most rest ripples under 2 cm of white jitter", async () => {
    const { s, events } = await session('instant-gate', REGIMES[2][1], { speedWindow: 0 });
    expect(score(events, s.truth.ripples).recall).toBeLessThan(0.5);
  });

  it('a gate on raw frame differences misses most rest ripples on the same data', async () => {
    const { s, lfp } = await session('raw-gate', REGIMES[0][1]);
    const d = await loadResult(store, lfp.result);
    const [rows, cols] = d.arrays.data.shape;
    const time = d.arrays.timestamps.data as Float64Array;
    const fs = d.json.fs as number;
    const band = bandFilter(
      { data: d.arrays.data.data as Float32Array, rows, cols },
      { fs, band: [150, 250], transition: 25 },
    );
    // raw speed: frame-to-frame distance of the front LED over the frame interval, held to the LFP times
    const { times, front } = s.position;
    const raw = new Float64Array(times.length);
    for (let i = 1; i < times.length; i++)
      raw[i] =
        Math.hypot(front.data[2 * i] - front.data[2 * i - 2], front.data[2 * i + 1] - front.data[2 * i - 1]) /
        (times[i] - times[i - 1]);
    const speed = Float64Array.from(
      time,
      (t) => raw[Math.min(times.length - 1, Math.max(0, Math.round((t - times[0]) * 30)))] || 0,
    );
    const events = kayRippleDetector(band, { fs, time, speed, speedThreshold: 4 });
    expect(score(events, s.truth.ripples).recall).toBeLessThan(0.5);
  });
});
