// resultView: what the viewer and `spyglass report` draw, from a store, with the lineage graph.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadResult, openStore, runStep, type Store } from '@spyglass-wasm/provenance';
import { simulateReplayDay, writeSessionNwb } from '@spyglass-wasm/sim';
import { sessionFixture } from '../../../scripts/test-fixtures.js';
import { decodeStep, lfpStep, positionStep, replayStep, resultView, ripplesStep } from '../src/index.js';

const UNITS = sessionFixture('linear-track-units.nwb');
const TETRODE = sessionFixture('tetrode-session.nwb');
let dir: string, store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spyglass-view-'));
  store = await openStore({ store: join(dir, '.spyglass'), durable: false });
});
afterAll(() => store?.close());

describe('resultView', () => {
  it('gives a decode its posterior image (rows sum to 1), the true position from its position input, the step error summary and the lineage', async () => {
    const position = await runStep(store, positionStep, { session: { file: UNITS } });
    const o = await runStep(store, decodeStep, { units: { file: UNITS }, position: { result: position.key } });
    const v = await resultView(store, o.key, { maxTimeBins: 500 });
    const d = v.data!;
    expect(d.kind).toBe('decode');
    if (d.kind !== 'decode') return;
    const rows = d.time.length,
      cols = d.position.length;
    expect(rows).toBeLessThanOrEqual(500);
    expect(d.timeBinsMerged).toBe(Math.ceil((o.result.summary.timeBins as number) / 500));
    for (const r of [0, rows >> 1, rows - 1])
      expect(d.posterior.subarray(r * cols, (r + 1) * cols).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(d.error).toEqual((await loadResult(store, o.result)).json.error);
    expect(d.truth!.time.length).toBe(position.result.summary.samples);
    // place fields: every unit once, on the posterior's bins, each scaled to 1 at its peak, peaks in order
    const pf = d.placeFields!;
    expect(Array.from(pf.units).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const peaks = Array.from(pf.units, (_, r) => {
      const row = pf.fields.subarray(r * cols, (r + 1) * cols);
      expect(Math.max(...row)).toBeCloseTo(1, 5);
      return d.position[row.indexOf(Math.max(...row))];
    });
    expect(peaks).toEqual([...peaks].sort((a, b) => a - b));
    expect(
      v.lineage.nodes
        .filter((n) => n.kind === 'result')
        .map((n) => n.label.split(' ')[0])
        .sort(),
    ).toEqual(['decode', 'position']);
    expect(v.lineage.nodes.filter((n) => n.kind === 'file').map((n) => n.label)).toEqual(['linear-track-units.nwb']);
    expect(
      v.lineage.edges
        .filter((e) => e.to === v.lineage.root)
        .map((e) => e.role)
        .sort(),
    ).toEqual(['code', 'params', 'position', 'units']);
  });

  it('gives ripples their LFP, ripple band and envelope around each peak', async () => {
    const lfp = await runStep(store, lfpStep, { raw: { file: TETRODE } });
    const o = await runStep(store, ripplesStep, { lfp: { result: lfp.key } });
    const v = await resultView(store, o.key, { maxSnippets: 5, snippetHalfWidth: 0.1 });
    const d = v.data;
    if (d?.kind !== 'ripples') throw new Error(`a ripples view, not ${d?.kind}`);
    const n = o.result.summary.events as number;
    expect(n).toBeGreaterThan(0);
    expect(d.events).toHaveLength(n);
    expect(d.snippets).toHaveLength(Math.min(5, n));
    d.snippets.forEach((s, i) => {
      const peak = d.events[i].peak;
      expect(s.time[0]).toBeCloseTo(peak - 0.1, 2);
      expect(s.time.at(-1)!).toBeCloseTo(peak + 0.1, 2);
      expect([s.lfp.length, s.band.length, s.envelope.length]).toEqual([s.time.length, s.time.length, s.time.length]);
      // the envelope bounds the band-passed signal, and is largest inside the event
      for (let k = 0; k < s.band.length; k++)
        expect(s.envelope[k]).toBeGreaterThanOrEqual(Math.abs(s.band[k]) * 0.999 - 1e-3);
      const at = s.envelope.indexOf(Math.max(...s.envelope));
      expect(Math.abs(s.time[at] - peak)).toBeLessThan(0.1);
    });
    await expect(resultView(store, o.key, { snipets: 1 } as never)).rejects.toThrow(/snipets/);
  }, 120_000);

  it('gives each replay event its own posterior', async () => {
    const file = join(dir, 'day.nwb');
    const day = simulateReplayDay({ seed: 3 });
    await writeSessionNwb(day, file);
    const events = day.truth.ripples.map((r) => [r.start, r.end]);
    const o = await runStep(
      store,
      replayStep,
      { units: { file }, session: { file } },
      { params: { encode: 'run1', decode: 'sleep2', events }, overrides: { shuffles: 50 } },
    );
    const v = await resultView(store, o.key);
    if (v.data?.kind !== 'replay') throw new Error(`a replay view, not ${v.data?.kind}`);
    expect(v.data.events.length).toBe(o.result.summary.events);
    for (const e of v.data.events) {
      const p = e.posterior;
      expect(p.posterior.length).toBe(p.time.length * p.position.length);
      expect(p.time[0]).toBeGreaterThanOrEqual(e.start - 0.01);
      expect(p.time.at(-1)!).toBeLessThanOrEqual(e.stop + 0.01);
    }
  }, 120_000);
});
