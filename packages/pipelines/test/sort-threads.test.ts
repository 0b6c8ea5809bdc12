// The sort step with threads sorts the electrode groups on a worker pool: same key, same data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadResult, openStore, resultDigest, runStep } from '@spyglass-wasm/provenance';
import { sortStep } from '../src/index.js';

const SESSION = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;
const sizes = vi.hoisted(() => [] as number[]);

// counts the pools the step creates (their workers load spike-sort's built dist/sort-worker.node.mjs)
vi.mock('@spyglass-wasm/spike-sort', async (original) => {
  const m = await original<typeof import('@spyglass-wasm/spike-sort')>();
  return {
    ...m,
    createSortPool: (o: { size?: number }) => (sizes.push(o.size ?? 0), m.createSortPool(o)),
  };
});

describe('sort step with threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spyglass-threads-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sorts the 2 tetrodes on 2 workers with the key and data of one thread', async () => {
    const run = async (threads: number) => {
      const store = await openStore({ store: 'memory://', resultsDir: join(dir, `t${threads}`) });
      try {
        const fractions: number[] = [];
        const out = await runStep(
          store,
          sortStep,
          { raw: { file: SESSION } },
          { threads, onProgress: (f) => fractions.push(f) },
        );
        expect(fractions.at(-1)).toBe(1);
        return {
          key: out.key,
          digest: await resultDigest(await loadResult(store, out.result)),
          summary: out.result.summary,
        };
      } finally {
        await store.close();
      }
    };
    const one = await run(1);
    expect(sizes).toEqual([]);
    const two = await run(2);
    // min(threads, groups): 2 workers for 2 tetrodes
    expect(sizes).toEqual([2]);
    expect(two.key).toBe(one.key);
    expect(two.digest).toBe(one.digest);
    // the summary too, but the analysis file's name (unique per write)
    expect({ ...two.summary, analysisFile: '' }).toEqual({ ...one.summary, analysisFile: '' });
    const eight = await run(8);
    expect(sizes).toEqual([2, 2]);
    expect(eight.digest).toBe(one.digest);
  }, 300_000); // three sorts: minutes on a busy machine
});
