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
      const progress: string[] = [];
      const parallel = await sortNwb(SESSION, { pool, onProgress: (_f, g) => progress.push(g) });
      const serial = await sortNwb(SESSION);
      expect(parallel.units.length).toBe(serial.units.length);
      parallel.units.forEach((u, i) => {
        expect(u.group).toBe(serial.units[i].group);
        expect(Array.from(u.spikeTimes)).toEqual(Array.from(serial.units[i].spikeTimes));
      });
      expect(progress.sort()).toEqual(['tetrode0', 'tetrode1']);
    } finally {
      await pool.terminate();
    }
  });
});
