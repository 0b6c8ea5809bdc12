// Replay on simulated sleep/run/sleep days with known sweeps: encode on run1, decode sleep2.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadResult, openStore, runStep, type Store } from '@spyglass-wasm/provenance';
import { simulateReplayDay, writeSessionNwb } from '@spyglass-wasm/sim';
import { replayStep, type ReplayEvent } from '../src/index.js';

let dir: string, store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spyglass-replay-'));
  store = await openStore({ store: join(dir, '.spyglass'), durable: false });
});
afterAll(() => store?.close());

async function replayDay(seed: number, mode: 'sorted' | 'clusterless' = 'sorted') {
  // clusterless marks need the raw recording: rendered over run1 and sleep2 (60-240 s)
  const day = simulateReplayDay({
    seed,
    ...(mode === 'clusterless' ? { raw: { start: 60, seconds: 180, fs: 20000 } } : {}),
  });
  const file = join(dir, `day-${seed}-${mode}.nwb`);
  await writeSessionNwb(day, file);
  const events = day.truth.ripples.map((r) => [r.start, r.end]);
  const outcome = await runStep(
    store,
    replayStep,
    { units: { file }, session: { file } },
    { params: { encode: 'run1', decode: 'sleep2', events, mode } },
  );
  const scored = (await loadResult(store, outcome.result)).json.events as ReplayEvent[];
  return { day, outcome, scored, file, events };
}

/**
 * The bars over days: true replays found (start and end within 30 cm, right direction), significant events
 * true, random events not significant.
 */
async function expectReplayFound(seeds: number[], mode: 'sorted' | 'clusterless') {
  let trueReplays = 0,
    found = 0,
    significant = 0,
    significantTrue = 0,
    nullEvents = 0,
    nullSignificant = 0;
  for (const seed of seeds) {
    const { day, scored } = await replayDay(seed, mode);
    const origin = day.truth.trackOrigin.x; // room x of the track's 0 cm
    for (const e of scored) {
      const truth = day.truth.ripples.find((r) => Math.abs(r.start - e.start) < 1e-6)!;
      expect(truth.epoch).toBe('sleep2');
      if (e.significant) significant++;
      if (!truth.replay) {
        nullEvents++;
        if (e.significant) nullSignificant++;
        continue;
      }
      trueReplays++;
      const ok =
        e.significant &&
        e.direction === truth.replay.direction &&
        Math.abs(e.startPosition - origin - truth.replay.start_position_cm) <= 30 &&
        Math.abs(e.endPosition - origin - truth.replay.end_position_cm) <= 30;
      if (ok) found++;
      if (e.significant) significantTrue++;
    }
  }
  expect(trueReplays).toBeGreaterThanOrEqual(20);
  expect(nullEvents).toBeGreaterThanOrEqual(3);
  expect(found / trueReplays).toBeGreaterThanOrEqual(0.8);
  expect(significantTrue / significant).toBeGreaterThanOrEqual(0.8);
  expect(nullSignificant / nullEvents).toBeLessThanOrEqual(0.2);
}

describe('replay step', () => {
  it('finds the true replays of the decode epoch with their start and end (within 30 cm) and direction; random events are not significant', async () => {
    await expectReplayFound([1, 2], 'sorted');
  });

  it('clusterless (marks from the raw recording, no sorting) meets the same bars', async () => {
    await expectReplayFound([1, 2], 'clusterless');
  }, 1_200_000);

  it('the intervals are part of the key, and the analysis file holds replay_events', async () => {
    const { outcome, file, events } = await replayDay(1);
    const other = await runStep(
      store,
      replayStep,
      { units: { file }, session: { file } },
      { params: { encode: 'run1', decode: 'sleep1', events } },
    );
    expect(other.key).not.toBe(outcome.key);
    expect(other.result.summary.events).toBeGreaterThan(0);
    const { openNwb } = await import('@spyglass-wasm/nwb-io');
    const nwb = await openNwb(`${store.resultsDir}/${outcome.result.summary.analysisFile}`);
    try {
      const table = nwb.intervals().find((t) => t.name === 'replay_events')!;
      expect(table.intervals.length).toBe(outcome.result.summary.events);
      expect(Object.keys(table.columns)).toEqual(
        expect.arrayContaining([
          'start_position',
          'end_position',
          'continuous_fraction',
          'replay_score',
          'p_value',
          'direction',
        ]),
      );
    } finally {
      nwb.close();
    }
  });

  it('names a missing encode interval with the ones there are', async () => {
    const { file, events } = await replayDay(1);
    await expect(
      runStep(
        store,
        replayStep,
        { units: { file }, session: { file } },
        { params: { encode: 'run7', decode: 'sleep2', events } },
      ),
    ).rejects.toThrow(/encode.*run1/);
  });
});
