// The curate, marks and linearize steps through the store: sort -> curate -> decode on the
// curated units, marks from the raw series, linear position along a track graph.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curateStep, decodeResult, decodeStep, linearizeStep, marksStep, openStore, runStep, sortStep, type Store } from '../src/index.js';

const dataOf = (o: { path: string }) => decodeResult(readFileSync(o.path));

const fixture = (n: string) => fileURLToPath(new URL(`../../nwb-io/test/fixtures/${n}`, import.meta.url));
const SESSION = fixture('tetrode-session.nwb');
const dir = mkdtempSync(join(os.tmpdir(), 'prov-more-steps-'));
let store: Store;
beforeAll(async () => {
  store = await openStore({ store: 'memory://', resultsDir: join(dir, 'results') });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('curate, marks, linearize', () => {
  it('curates a sorting by metric rules and decode takes the curated units', async () => {
    const sort = await runStep(store, sortStep, { raw: { file: SESSION } }, { overrides: { group: 'tetrode1' } });
    const curated = await runStep(store, curateStep, { sorting: { result: sort.key } }, { overrides: { keep: ['accept'] } });
    const labels = dataOf(curated).json.labels as string[];
    expect(labels.length).toBe(sort.result.summary.units);
    expect(curated.result.summary.units).toBe(labels.filter((l) => l === 'accept').length);
    expect(curated.result.summary.units).toBeGreaterThanOrEqual(4); // tetrode1's four true units are clean
    const decoded = await runStep(store, decodeStep, { units: { result: curated.key }, session: { file: SESSION } });
    expect(decoded.result.summary.units).toBe(curated.result.summary.units);
    expect((await runStep(store, curateStep, { sorting: { result: sort.key } }, { overrides: { keep: ['accept'] } })).cached).toBe(true);
  });

  it('extracts clusterless marks per electrode group', async () => {
    const d = dataOf(await runStep(store, marksStep, { raw: { file: SESSION } }));
    const groups = d.json.groups as { name: string; channels: number; spikes: number }[];
    expect(groups.map((g) => [g.name, g.channels])).toEqual([['tetrode0', 4], ['tetrode1', 4]]);
    const ends = d.arrays.timesIndex.data;
    expect(ends[ends.length - 1]).toBe(d.arrays.times.shape[0]);
    expect(d.arrays.marks.shape[0]).toBe(4 * d.arrays.times.shape[0]);
  });

  it('linearizes position along a track graph, and names the missing graph', async () => {
    const track = fixture('linear-track-units.nwb');
    const r = await runStep(store, linearizeStep, { session: { file: track } }, { overrides: { nodes: [[0, 0], [200, 0]], edges: [[0, 1]] } });
    const lin = dataOf(r).arrays.linearPosition.data as Float64Array;
    expect(lin.length).toBe(27000);
    expect(Math.min(...lin)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...lin)).toBeLessThanOrEqual(200.5);
    await expect(runStep(store, linearizeStep, { session: { file: track } })).rejects.toThrow(/track graph/);
  });
});
