// The sort pool on worker_threads with the self-contained worker the package builds
// (dist/sort-worker.node.mjs: needs npm run build), and with workers that cannot load.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Comlink, ParameterError, WorkerError } from '@spyglass-wasm/core';
import { simulateStream } from '@spyglass-wasm/sim';
import { createSortPool, sortGroup, type GroupSorting } from '../src/index.js';

const BUILT_WORKER = new URL('../dist/sort-worker.node.mjs', import.meta.url);

/** What two sortings must share to be the same result: units, spike times, templates, labels. */
const summary = (g: GroupSorting) => ({
  units: g.units.map((u) => ({
    samples: Array.from(u.samples),
    peak: u.peakChannel,
    template: Array.from(u.template),
  })),
  labels: Array.from(g.labels),
  noise: Array.from(g.noise),
});

describe('createSortPool (worker_threads)', () => {
  it('the built worker imports nothing by name: every import and the Wasm are bundled in', () => {
    for (const file of ['sort-worker.node.mjs', 'sort-worker.js']) {
      const code = readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
      const imports = [...code.matchAll(/(?:from\s*|import\s*\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
      // only Node built-ins (worker_threads, os, behind the Node branch) may stay imports
      expect(
        imports.filter((name) => !/^(node:)?(worker_threads|os)$/.test(name)),
        file,
      ).toEqual([]);
      expect(code, file).not.toMatch(/\.wasm["']/);
    }
  });

  it('sorts two groups on 2 workers, each equal to sortGroup on this thread', async () => {
    const a = simulateStream({ seed: 5, seconds: 6, units: 3 });
    const b = simulateStream({ seed: 6, seconds: 6, units: 3 });
    const groups = [a.read(0, a.rows), b.read(0, b.rows)];
    const here = groups.map((x) => summary(sortGroup(x, { fs: a.fs })));
    const pool = await createSortPool({ size: 2, worker: BUILT_WORKER });
    try {
      const there = await pool.map(groups, (api, x) =>
        api.sortGroup(Comlink.transfer(x, [x.data.buffer]), { fs: a.fs }),
      );
      expect(there.map(summary)).toEqual(here);
      expect(here[0].units.length).toBeGreaterThan(0);
    } finally {
      await pool.terminate();
    }
  }, 120_000);

  it('the built package finds its own worker with no option', async () => {
    const built = (await import(new URL('../dist/index.js', import.meta.url).href)) as {
      createSortPool: typeof createSortPool;
    };
    const pool = await built.createSortPool({ size: 1 });
    try {
      const s = simulateStream({ seed: 7, seconds: 3, units: 2 });
      const x = s.read(0, s.rows);
      const expected = summary(sortGroup(x, { fs: s.fs }));
      expect(summary(await pool.run((api) => api.sortGroup(x, { fs: s.fs })))).toEqual(expected);
    } finally {
      await pool.terminate();
    }
  }, 120_000);

  it('a worker factory is accepted; a worker that cannot load rejects with a WorkerError', async () => {
    const missing = createSortPool({ size: 2, worker: new URL('../dist/no-such-worker.mjs', import.meta.url) });
    await expect(missing).rejects.toBeInstanceOf(WorkerError);
    await expect(missing).rejects.toThrow(/no-such-worker\.mjs failed to load/);
    const { Worker } = await import('node:worker_threads');
    const throwing = createSortPool({
      size: 1,
      worker: () => new Worker('throw new Error("boom at start")', { eval: true }) as never,
    });
    await expect(throwing).rejects.toBeInstanceOf(WorkerError);
    await expect(throwing).rejects.toThrow(/the worker failed to load: boom at start/);
    await expect(createSortPool({ worker: 42 as never })).rejects.toBeInstanceOf(ParameterError);
    await expect(createSortPool({ worker: 42 as never })).rejects.toThrow(/parameter 'worker'/);
  });
});
