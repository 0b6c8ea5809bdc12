// The decode step's running error takes speed from the position step: on tracking with 0.5 cm of
// camera jitter the animal at rest is still, as the position step says, and the bins counted as
// running are exactly those where the position step's speed exceeds 4 cm/s.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpolate } from '@spyglass-wasm/core';
import { decodeResult, openStore, runStep, type Store } from '@spyglass-wasm/provenance';
import { simulateRestRunSession, writeSessionNwb } from '@spyglass-wasm/sim';
import { decodeStep, positionStep } from '../src/index.js';

let dir: string, store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spyglass-decode-speed-'));
  store = await openStore({ store: 'memory://', resultsDir: join(dir, 'results') });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the decoding error's running mask", () => {
  it("counts a bin as running where the position step's speed exceeds 4 cm/s", async () => {
    const s = simulateRestRunSession({
      seed: 5,
      seconds: 60,
      raw: false,
      tracking: { noiseCm: 0.5, noiseTimeConstantS: 0, dropRate: 0.03 },
    });
    const file = join(dir, 'session.nwb');
    await writeSessionNwb(s, file);
    const position = await runStep(store, positionStep, { session: { file } });
    const decoded = await runStep(
      store,
      decodeStep,
      { units: { file }, position: { result: position.key } },
      { overrides: { binSize: 0.02 } },
    );
    const p = decodeResult(readFileSync(position.path));
    const d = decodeResult(readFileSync(decoded.path));
    const time = d.arrays.time.data as Float64Array;
    const speed = interpolate(p.arrays.time.data as Float64Array, p.arrays.speed.data as Float64Array, time, {
      outside: 'nan',
    });
    const running = speed.filter((v) => v > 4).length;
    const error = d.json.error as { map: { nRunning: number; n: number } };
    expect(error.map.nRunning).toBe(running);
    // and what it calls running is running: a still animal (inside a rest period, 1 s from its
    // edges) reads as still, where raw frame differences read 0.5 cm of jitter as ~20 cm/s
    const rest = s.truth.periods.filter((q) => q.kind === 'rest');
    const resting = [...time.keys()].filter((i) => rest.some((q) => q.start + 1 < time[i] && time[i] < q.stop - 1));
    const movingAtRest = resting.filter((i) => speed[i] > 4).length / resting.length;
    const { times: frames, front } = s.position;
    const raw = interpolate(
      frames,
      Float64Array.from(frames, (t, i) =>
        i
          ? Math.hypot(front.data[2 * i] - front.data[2 * i - 2], front.data[2 * i + 1] - front.data[2 * i - 1]) * 30
          : 0,
      ),
      time,
    );
    const rawMovingAtRest = resting.filter((i) => raw[i] > 4).length / resting.length;
    expect(movingAtRest, `raw frame differences: ${rawMovingAtRest}`).toBeLessThan(0.05);
    expect(rawMovingAtRest).toBeGreaterThan(0.5);
    expect(running).toBeGreaterThan(0);
  });
});
