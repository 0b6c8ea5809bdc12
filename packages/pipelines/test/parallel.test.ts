// Electrode groups sorted in parallel on worker threads give exactly the sequential result.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSortPool } from '@spyglass-wasm/spike-sort';
import { sortNwb } from '../src/index.js';

const SESSION = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
// Worker threads load the built bundle (npm test builds first).
const WORKER = new URL('../../spike-sort/dist/sort-worker.node.mjs', import.meta.url);

describe('sortNwb on a worker pool', () => {
  it('sorts both tetrodes on 2 workers with the same units as one thread', async () => {
    const pool = await createSortPool({ size: 2, worker: WORKER });
    try {
      const groups: string[] = [];
      const fractions: number[] = [];
      const parallel = await sortNwb(SESSION, {
        pool,
        onProgress: (f, g) => (groups.push(g), fractions.push(f)),
      });
      const serialFractions: number[] = [];
      const serial = await sortNwb(SESSION, { onProgress: (f) => serialFractions.push(f) });
      expect(parallel.units.length).toBe(serial.units.length);
      parallel.units.forEach((u, i) => {
        expect(u.group).toBe(serial.units[i].group);
        expect(Array.from(u.spikeTimes)).toEqual(Array.from(serial.units[i].spikeTimes));
      });
      expect([...new Set(groups)].sort()).toEqual(['tetrode0', 'tetrode1']);
      // progress from inside each group's sort (in the workers, and here), for the file: the mean of the groups'
      for (const f of [fractions, serialFractions]) {
        expect(f.length).toBeGreaterThan(20);
        expect(f.at(-1)).toBe(1);
        for (let i = 1; i < f.length; i++) expect(f[i]).toBeGreaterThanOrEqual(f[i - 1]);
      }
    } finally {
      await pool.terminate();
    }
  });
});
