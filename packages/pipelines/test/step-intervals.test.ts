// Every step on a named interval (issue #17): position, lfp-band, marks and linearize restrict
// their output to the interval; the interval is part of the key only when given, so the default
// parameters (and with them the keys of whole-session results) are what they were.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadResult, openStore, resolveParams, runStep, type Store } from '@spyglass-wasm/provenance';
import { simulateReplayDay, writeSessionNwb } from '@spyglass-wasm/sim';
import { lfpBandStep, lfpStep, linearizeStep, marksStep, positionStep } from '../src/index.js';

const dir = mkdtempSync(join(os.tmpdir(), 'step-intervals-'));
let store: Store, day: string;
// sleep1 0-60 s, run1 60-180 s, sleep2 180-240 s; raw rendered for 56-64 s (across the sleep1/run1 edge)
beforeAll(async () => {
  store = await openStore({ store: 'memory://', resultsDir: join(dir, 'results') });
  day = join(dir, 'day.nwb');
  await writeSessionNwb(simulateReplayDay({ seed: 3, raw: { start: 56, seconds: 8, fs: 20000 } }), day);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const data = async (o: Awaited<ReturnType<typeof runStep>>) => loadResult(store, o.result);
const within = (t: ArrayLike<number>, a: number, b: number) => Array.from(t).every((x) => x >= a && x < b);
const TRACK = {
  nodes: [
    [0, 120],
    [300, 120],
  ] as [number, number][],
  edges: [[0, 1]] as [number, number][],
};

describe('steps on an interval', () => {
  it('default parameters carry no interval: whole-session keys are the ones before intervals', () => {
    // the parameters each key hashed before these steps took an interval
    expect(resolveParams(positionStep).params).toEqual({
      series: null,
      pixelsPerCm: null,
      maxLedSeparation: 9,
      maxPlausibleSpeed: 300,
      maxGap: null,
      positionSmoothingDuration: 0.125,
      speedSmoothingStd: 0.1,
      orientationSmoothingStd: 0.001,
      led1IsFront: true,
      upsample: false,
      upsampleRate: 500,
    });
    expect(resolveParams(lfpBandStep).params).toEqual({ band: [5, 11], transition: 1, attenuation: 60 });
    expect(resolveParams(marksStep).params).toEqual({ threshold: 5, band: [600, 6000] });
    expect(resolveParams(linearizeStep, 'default', TRACK).params).toEqual(TRACK);
    for (const step of [positionStep, lfpBandStep, marksStep, linearizeStep])
      expect(resolveParams(step, 'default', { interval: 'run1' }).params.interval).toBe('run1');
  });

  it('position: only the samples of the interval, processed as the whole session is away from its edges', async () => {
    const whole = await runStep(store, positionStep, { session: { file: day } });
    const run = await runStep(store, positionStep, { session: { file: day } }, { overrides: { interval: 'run1' } });
    expect(run.key).not.toBe(whole.key);
    const w = await data(whole),
      r = await data(run);
    const t = r.arrays.time.data as Float64Array,
      wt = w.arrays.time.data as Float64Array;
    expect(t[0]).toBeGreaterThanOrEqual(60);
    expect(t.at(-1)).toBeLessThan(180);
    expect(t.length).toBe(wt.filter((x) => x >= 60 && x < 180).length);
    expect(r.json.interval).toBe('run1');
    // 2 s from the edges the recipe sees the same samples: the same speed
    const offset = wt.indexOf(t[0]);
    const inner = [...t.keys()].filter((i) => t[i] > 62 && t[i] < 178);
    for (const i of inner) expect(r.arrays.speed.data[i]).toBeCloseTo(w.arrays.speed.data[offset + i] as number, 6);
    const span = await runStep(
      store,
      positionStep,
      { session: { file: day } },
      { overrides: { interval: [[190, 200]] } },
    );
    expect(within((await data(span)).arrays.time.data, 190, 200)).toBe(true);
  });

  it('lfp-band: only the LFP within the interval (a name through the session input, or [start, stop])', async () => {
    const lfp = await runStep(store, lfpStep, { raw: { file: day } });
    const whole = await runStep(store, lfpBandStep, { lfp: { result: lfp.key } });
    const run = await runStep(
      store,
      lfpBandStep,
      { lfp: { result: lfp.key }, session: { file: day } },
      { overrides: { interval: 'run1' } },
    );
    const span = await runStep(
      store,
      lfpBandStep,
      { lfp: { result: lfp.key } },
      { params: 'ripple', overrides: { interval: [[57, 59]] } },
    );
    expect(new Set([whole.key, run.key, span.key]).size).toBe(3);
    const r = await data(run),
      s = await data(span);
    expect(within(r.arrays.timestamps.data, 60, 64)).toBe(true);
    expect(r.arrays.timestamps.shape[0]).toBe(4000); // 60-64 s at 1 kHz
    expect(r.arrays.phase.shape).toEqual([4000, r.arrays.phase.shape[1]]);
    expect(within(s.arrays.timestamps.data, 57, 59)).toBe(true);
    expect(s.arrays.timestamps.shape[0]).toBe(2000);
    // a name needs the file to look it up in; an interval the LFP does not cover is an error
    await expect(
      runStep(store, lfpBandStep, { lfp: { result: lfp.key } }, { overrides: { interval: 'run1' } }),
    ).rejects.toThrow(/interval.*session file/);
    await expect(
      runStep(
        store,
        lfpBandStep,
        { lfp: { result: lfp.key }, session: { file: day } },
        { overrides: { interval: 'sleep2' } },
      ),
    ).rejects.toThrow(/interval.*overlapping/);
  });

  it('marks: only the spikes within the interval', async () => {
    const whole = await data(await runStep(store, marksStep, { raw: { file: day } }));
    const run = await runStep(store, marksStep, { raw: { file: day } }, { overrides: { interval: 'run1' } });
    const r = await data(run);
    const t = r.arrays.times.data as Float64Array;
    expect(t.length).toBeGreaterThan(50);
    expect(within(t, 60, 64)).toBe(true);
    expect(within(whole.arrays.times.data, 56, 64)).toBe(true);
    expect(Array.from(whole.arrays.times.data as Float64Array).some((x) => x < 60)).toBe(true);
    expect(r.json.interval).toBe('run1');
  });

  it("linearize: the position step's position (a result or the session's default recipe), within the interval", async () => {
    const position = await runStep(store, positionStep, { session: { file: day } });
    const fromResult = await runStep(
      store,
      linearizeStep,
      { session: { file: day }, position: { result: position.key } },
      { overrides: { ...TRACK, interval: 'run1' } },
    );
    const fromSession = await runStep(
      store,
      linearizeStep,
      { session: { file: day } },
      { overrides: { ...TRACK, interval: 'run1' } },
    );
    const whole = await runStep(store, linearizeStep, { session: { file: day } }, { overrides: TRACK });
    const a = await data(fromResult),
      b = await data(fromSession),
      w = await data(whole);
    expect(within(a.arrays.time.data, 60, 180)).toBe(true);
    expect(Array.from(w.arrays.time.data as Float64Array).some((x) => x < 60)).toBe(true);
    // the same recipe: a result cut to run1 and run1 processed alone agree away from the edges
    const ta = a.arrays.time.data as Float64Array,
      tb = b.arrays.time.data as Float64Array;
    expect(tb.length).toBe(ta.length);
    const inner = [...ta.keys()].filter((i) => ta[i] > 62 && ta[i] < 178);
    for (const i of inner)
      expect(a.arrays.linearPosition.data[i]).toBeCloseTo(b.arrays.linearPosition.data[i] as number, 6);
    // smoothed position, not the raw tracking: on the run, the linear position is the track position within tracking
    // noise
    const day3 = simulateReplayDay({ seed: 3 });
    const truthAt = (t: number) =>
      day3.truth.position.trackPositionCm[day3.truth.position.times.findIndex((x) => x >= t)];
    const origin = day3.truth.trackOrigin.x;
    const errors = inner
      .filter((_, k) => k % 50 === 0)
      .map((i) => Math.abs((a.arrays.linearPosition.data[i] as number) - origin - truthAt(ta[i])));
    expect(Math.max(...errors)).toBeLessThan(5);
  });
});
