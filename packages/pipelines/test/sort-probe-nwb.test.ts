// A 32-channel probe in an NWB file (the simulator's, two-column layout with positions): sortNwb
// sorts it by neighbourhoods on a pool and finds its units (the same result as one thread is
// spike-sort's sort-probe test).
import { describe, expect, it } from 'vitest';
import { simulateRecording, writeSessionNwb } from '@spyglass-wasm/sim';
import { compareToTruth, createSortPool } from '@spyglass-wasm/spike-sort';
import { sortNwb } from '../src/index.js';

const BUILT_WORKER = new URL('../../spike-sort/dist/sort-worker.node.mjs', import.meta.url);

describe('sortNwb on a 32-channel probe', () => {
  const rec = simulateRecording({ seed: 7, seconds: 8, channels: 32, units: 10 });
  const file = writeSessionNwb(
    {
      description: 'probe',
      electrodeGroups: [{ name: 'probe0', location: 'CA1', channels: Array.from({ length: 32 }, (_, i) => i) }],
      recording: { data: rec.data, rows: rec.rows, channels: 32, fs: rec.fs, startTime: 0 },
    },
    null,
    { rawDtype: 'float32', units: false },
  );

  it('sorts the probe by neighbourhoods of 8 core channels and finds its units', async () => {
    const bytes = (await file) as Uint8Array;
    const pool = await createSortPool({ size: 2, worker: BUILT_WORKER });
    const sorting = await sortNwb(bytes, { pool }).finally(() => pool.terminate());
    expect(sorting.groups.map((g) => g.name)).toEqual(['probe0', 'probe0', 'probe0', 'probe0']);
    expect(sorting.groups[1].channels.length).toBeGreaterThan(8);
    // templates are laid on every channel of the group
    for (const u of sorting.units) expect(u.template.length).toBe(u.waveform.length * 32);
    const scores = compareToTruth(
      rec.units.map((u) => u.spikeTimes),
      sorting.units.map((u) => u.spikeTimes),
    );
    // 8 s only: the whole group as one (sortGroup) gets 7 of 10 here
    expect(scores.filter((s) => s.accuracy >= 0.8).length).toBeGreaterThanOrEqual(5);
  }, 600_000); // minutes on a busy machine
});
