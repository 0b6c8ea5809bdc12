import { mkdtempSync, readdirSync, readFileSync, copyFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeResult,
  fileEntity,
  hashFile,
  loadResult,
  openStore,
  runStep,
  type Store,
} from '@spyglass-wasm/provenance';
import { decodeStep, lfpStep, ripplesStep, sortStep, unitSpikeTimes } from '../src/index.js';

const SESSION = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;
const truth = JSON.parse(readFileSync(SESSION.replace('.nwb', '.truth.json'), 'utf8'));

describe('runner on the bundled tetrode session', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spyglass-run-'));
    store = await openStore({ store: join(dir, '.spyglass') });
  });
  afterAll(async () => store?.close());

  it('runs lfp -> ripples, records lineage, finds the simulated ripples, and reuses results', async () => {
    const lfp = await runStep(store, lfpStep, { raw: { file: SESSION } });
    expect(lfp.cached).toBe(false);
    expect(lfp.result.summary).toMatchObject({ fs: 1000, channels: 8 });
    const rip = await runStep(store, ripplesStep, { lfp: { result: lfp.key }, session: { file: SESSION } });
    expect(rip.cached).toBe(false);
    const events = rip.result.summary.events as number;
    const found = decodeResult(readFileSync(rip.path)).json.events as { start: number; peak: number; end: number }[];
    expect(events).toBe(found.length);
    expect(found.length).toBe(truth.ripples.length); // no false positives on this session
    // every simulated ripple is found, its peak within 20 ms, in the session time base
    for (const r of truth.ripples) {
      expect(
        found.some((e) => Math.abs(e.peak - r.peak_s) < 0.02 && e.start <= r.peak_s && e.end >= r.peak_s),
        `ripple at ${r.peak_s}`,
      ).toBe(true);
    }
    // the result file carries its own PROV record
    const prov = decodeResult(readFileSync(rip.path)).provenance as {
      '@graph': { 'spyglass:resultKey'?: string; 'prov:used'?: { '@id': string }[] }[];
    };
    expect(prov['@graph'][0]['spyglass:resultKey']).toBe(rip.key);
    expect(prov['@graph'][0]['prov:used']!.map((u) => u['@id'])).toContain(`result:${lfp.key}`);

    const again = await runStep(store, lfpStep, { raw: { file: SESSION } });
    expect(again).toMatchObject({ cached: true, key: lfp.key });
    expect((await runStep(store, ripplesStep, { lfp: { result: lfp.key }, session: { file: SESSION } })).cached).toBe(
      true,
    );
    // a parameter change is a new result; the old one stays
    const karlsson = await runStep(
      store,
      ripplesStep,
      { lfp: { result: lfp.key }, session: { file: SESSION } },
      { params: 'karlsson' },
    );
    expect(karlsson.cached).toBe(false);
    expect(karlsson.key).not.toBe(rip.key);
    expect((await store.lineage(rip.key)).map((r) => r.step)).toEqual(['lfp', 'ripples']);
  });

  it('a changed input file gives new keys downstream; invalidation forces recomputation', async () => {
    const copy = join(dir, 'session-copy.nwb');
    copyFileSync(SESSION, copy);
    const a = await runStep(store, lfpStep, { raw: { file: copy } });
    expect(a.cached).toBe(true); // same bytes, other name: same input
    appendFileSync(copy, Buffer.from([0])); // change the file (HDF5 ignores trailing bytes)
    const b = await runStep(store, lfpStep, { raw: { file: copy } });
    expect(b.cached).toBe(false);
    expect(b.key).not.toBe(a.key);
    const rip = await runStep(store, ripplesStep, { lfp: { result: a.key } });
    expect(await store.invalidate(a.result.activity.inputs.raw)).toContain(rip.key);
    await expect(runStep(store, ripplesStep, { lfp: { result: a.key } })).rejects.toThrow(/invalidated/);
    const redo = await runStep(store, lfpStep, { raw: { file: SESSION } });
    expect(redo).toMatchObject({ cached: false, key: a.key }); // recomputed, same key, valid again
    expect((await store.getResult(a.key))?.status).toBe('valid');
    expect(readdirSync(store.resultsDir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});

describe('analysis NWB files', () => {
  it('each result with NWB objects gets an analysis file carrying its provenance record', async () => {
    const { openNwb } = await import('@spyglass-wasm/nwb-io');
    const dir = mkdtempSync(join(tmpdir(), 'spyglass-nwb-'));
    const store = await openStore({ store: join(dir, '.spyglass') });
    try {
      const lfp = await runStep(store, lfpStep, { raw: { file: SESSION } });
      const rip = await runStep(store, ripplesStep, { lfp: { result: lfp.key }, session: { file: SESSION } });
      const nwb = await openNwb(join(store.resultsDir, rip.result.summary.analysisFile as string));
      try {
        const table = nwb.intervals().find((t) => t.name === 'ripple_times')!;
        expect(table).toBeDefined();
        const prov = JSON.parse(nwb.table('/analysis/spyglass_provenance').columns.record.values[0] as string);
        expect(prov.key).toBe(rip.key);
      } finally {
        nwb.close();
      }
      const lfpNwb = await openNwb(join(store.resultsDir, lfp.result.summary.analysisFile as string));
      try {
        const [series] = lfpNwb.electricalSeries();
        expect(series.shape).toEqual(lfp.result.summary.samples ? [lfp.result.summary.samples, 8] : []);
        expect(series.timing.rate).toBeCloseTo(1000, 6);
        // the LFP in the file is the stored result's, in volts via conversion
        const stored = decodeResult(readFileSync(lfp.path)).arrays.data.data as Float32Array;
        const inFile = lfpNwb.series(series.path).read({ scale: 'microvolts' }).data;
        let worst = 0;
        for (let i = 0; i < stored.length; i++) worst = Math.max(worst, Math.abs(inFile[i] - stored[i]));
        expect(worst).toBeLessThan(1e-3);
      } finally {
        lfpNwb.close();
      }
    } finally {
      await store.close();
    }
  });
});

describe('decode step', () => {
  it("decodes the tetrode session's units against its position, cached on rerun", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spyglass-decode-'));
    const store = await openStore({ store: join(dir, '.spyglass') });
    try {
      const { decodeStep } = await import('../src/index.js');
      const out = await runStep(store, decodeStep, { units: { file: SESSION } });
      expect(out.cached).toBe(false);
      const s = out.result.summary as Record<string, number>;
      expect(s.units).toBe(truth.units.length);
      expect(s.timeBins).toBeGreaterThan(2_000);
      // place cells of a 200 cm track: the posterior mean is within a few bins while running
      expect(s.medianErrorRunningCm).toBeLessThan(15); // held out: encoded on the first 80%, decoded the last 20%
      expect((await runStep(store, decodeStep, { units: { file: SESSION } })).cached).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('two runs of one key at once', () => {
  it('both succeed, one result is recorded, and its file matches its checksum', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spyglass-race-'));
    const store = await openStore({ store: 'memory://', resultsDir: join(dir, 'results') });
    const step = {
      name: 'race',
      description: 'test',
      code: { package: 'race-test', packageVersion: '1', kernels: [] },
      inputs: [],
      async run() {
        await new Promise((r) => setTimeout(r, 50));
        return { arrays: { x: { data: Float64Array.of(1, 2), shape: [2] } }, json: { at: Date.now() }, summary: {} };
      },
    };
    try {
      const [a, b] = await Promise.all([runStep(store, step, {}), runStep(store, step, {})]);
      expect(a.key).toBe(b.key);
      expect(a.result.file).toBe(b.result.file);
      expect(readdirSync(join(dir, 'results'))).toEqual([a.result.file]);
      expect(await hashFile(a.path)).toBe((await store.getResult(a.key))!.checksum);
    } finally {
      await store.close();
    }
  });
});

describe('file checksums across processes', () => {
  it('are reused from the store while size and mtime match, recomputed when the file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spyglass-stat-'));
    const store = await openStore({ store: join(dir, '.spyglass') });
    try {
      const copy = join(dir, 's.nwb');
      copyFileSync(SESSION, copy);
      const first = await runStep(store, lfpStep, { raw: { file: copy } });
      const e = (await store.getEntity(first.result.activity.inputs.raw))!;
      expect(e.meta).toMatchObject({ size: expect.any(Number), mtimeMs: expect.any(Number) });
      expect(await store.fileChecksum(e.path!, e.meta as { size: number; mtimeMs: number })).toBe(e.checksum);
      appendFileSync(copy, Buffer.from([1]));
      const { statSync } = await import('node:fs');
      const st = statSync(copy);
      expect(await store.fileChecksum(copy, { size: st.size, mtimeMs: st.mtimeMs })).toBeUndefined();
      expect((await fileEntity(copy, store)).checksum).toBe(await hashFile(copy));
    } finally {
      await store.close();
    }
  });
});

describe('sort -> decode', () => {
  it('sorts the tetrode session (every true unit found) and decodes from the sorted units', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spyglass-sort-'));
    const store = await openStore({ store: join(dir, '.spyglass') });
    try {
      const sort = await runStep(store, sortStep, { raw: { file: SESSION } });
      const units = unitSpikeTimes(await loadResult(store, sort.result));
      // each true unit has a sorted unit sharing most of its spikes (±0.5 ms)
      for (const t of truth.units) {
        const spikes: number[] = t.spike_times;
        const best = Math.max(
          ...units.map(
            (u) =>
              spikes.filter((s) => {
                let lo = 0,
                  hi = u.length;
                while (lo < hi) {
                  const m = (lo + hi) >> 1;
                  if (u[m] < s - 5e-4) lo = m + 1;
                  else hi = m;
                }
                return lo < u.length && u[lo] <= s + 5e-4;
              }).length / spikes.length,
          ),
        );
        expect(best).toBeGreaterThan(0.8);
      }
      const dec = await runStep(store, decodeStep, { units: { result: sort.key }, session: { file: SESSION } });
      expect(dec.result.activity.inputs.units).toBe(`result:${sort.key}`);
      expect((dec.result.summary as Record<string, number>).medianErrorRunningCm).toBeLessThan(20);
    } finally {
      await store.close();
    }
  });
});
