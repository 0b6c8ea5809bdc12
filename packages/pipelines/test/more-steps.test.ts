// The curate, marks and linearize steps through the store: sort -> curate -> decode on the
// curated units, marks from the raw series, linear position along a track graph.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { decodeResult, openStore, runStep, type Store } from '@spyglass-wasm/provenance';
import { curateStep, decodeStep, linearizeStep, marksStep, sortStep } from '../src/index.js';

const dataOf = (o: { path: string }) => decodeResult(readFileSync(o.path));
// Each result's analysis NWB file, checked by hdmf's validator where Debian's python3-hdmf is installed.
const analysisFile = (o: { result: { summary: Record<string, unknown> } }) =>
  join(dir, 'results', String(o.result.summary.analysisFile));
const validator = fileURLToPath(new URL('../../nwb-io/scripts/validate-nwb.py', import.meta.url));
const hasHdmf = spawnSync('/usr/bin/python3', ['-c', 'import hdmf, h5py']).status === 0;
function expectValid(path: string): void {
  if (!hasHdmf) return;
  const v = spawnSync('/usr/bin/python3', [validator, path], { encoding: 'utf8' });
  expect(JSON.parse(v.stdout.trim()).errors, path).toEqual([]);
}

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
    const curated = await runStep(
      store,
      curateStep,
      { sorting: { result: sort.key } },
      { overrides: { keep: ['accept'] } },
    );
    // what autoMerge merged and left apart, per group, with why (tetrode1: no unit is one neuron split)
    expect(sort.result.summary.merged).toBe(0);
    const [merges] = dataOf(sort).json.merges as {
      group: string;
      merged: unknown[];
      candidates: { reason: string }[];
    }[];
    expect(merges.group).toBe('tetrode1');
    expect(merges.merged).toEqual([]);
    for (const c of merges.candidates) expect(c.reason).toMatch(/dip/);
    const labels = dataOf(curated).json.labels as string[];
    expect(labels.length).toBe(sort.result.summary.units);
    expect(curated.result.summary.units).toBe(labels.filter((l) => l === 'accept').length);
    expect(curated.result.summary.units).toBeGreaterThanOrEqual(4); // tetrode1's four true units are clean
    const decoded = await runStep(store, decodeStep, { units: { result: curated.key }, session: { file: SESSION } });
    expect(decoded.result.summary.units).toBe(curated.result.summary.units);
    expect(
      (await runStep(store, curateStep, { sorting: { result: sort.key } }, { overrides: { keep: ['accept'] } })).cached,
    ).toBe(true);
    // The curated units as an analysis file: Units with spike times, labels and metrics.
    const file = analysisFile(curated);
    expectValid(file);
    const nwb = await openNwb(file);
    const units = nwb.units()!;
    expect(units.spikeTimes.length).toBe(curated.result.summary.units);
    const d = dataOf(curated);
    const ends = d.arrays.spikeTimesIndex.data;
    expect(Array.from(units.spikeTimes[0])).toEqual(
      Array.from((d.arrays.spikeTimes.data as Float64Array).subarray(0, ends[0])),
    );
    expect(nwb.table('/units').columns.curation_label.values).toEqual(Array(units.spikeTimes.length).fill('accept'));
    expect(nwb.table('/units').colnames).toEqual(
      expect.arrayContaining(['snr', 'nn_noise_overlap', 'waveform_mean', 'electrode_group']),
    );
    nwb.close();
  });

  it("records per-spike amplitudes and every channel's waveform, so curate splits a unit by amplitude", async () => {
    const sort = await runStep(store, sortStep, { raw: { file: SESSION } }, { overrides: { group: 'tetrode1' } });
    const d = dataOf(sort);
    const ends = Array.from(d.arrays.spikeTimesIndex.data as ArrayLike<number>);
    const amps = d.arrays.spikeAmplitudes.data as Float32Array;
    expect(amps.length).toBe(d.arrays.spikeTimes.data.length);
    const units = d.json.units as { peakChannel: number }[];
    const channels = (d.json.groups as { channels: number[] }[])[0].channels;
    const [n, len, width] = d.arrays.waveformMeanChannels.shape;
    expect([n, width]).toEqual([units.length, 4]);
    const unitAmps = ends.map((e, i) => amps.subarray(i ? ends[i - 1] : 0, e));
    for (const [u, a] of unitAmps.entries()) {
      // the peak channel's slice of the per-channel waveform is the peak-channel waveform ...
      const c = channels.indexOf(units[u].peakChannel);
      const peak = Float32Array.from(
        { length: len },
        (_, s) => d.arrays.waveformMeanChannels.data[(u * len + s) * 4 + c],
      );
      expect(Array.from(peak)).toEqual(Array.from(d.arrays.waveformMean.data.subarray(u * len, (u + 1) * len)));
      // ... and the spikes' mean amplitude is that waveform's extreme (the spikes are aligned on their peak)
      const extreme = peak.reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
      const mean = a.reduce((x, y) => x + y, 0) / a.length;
      expect(Math.abs(mean - extreme) / Math.abs(extreme)).toBeLessThan(0.15);
    }
    // split the largest unit at its median amplitude magnitude
    const big = unitAmps.reduce((b, a, i) => (a.length > unitAmps[b].length ? i : b), 0);
    const sorted = Float64Array.from(unitAmps[big], Math.abs).sort();
    const threshold = sorted[sorted.length >> 1];
    const split = await runStep(
      store,
      curateStep,
      { sorting: { result: sort.key } },
      { overrides: { keep: ['accept', 'mua', 'noise'], split: [{ unit: big, amplitudeThreshold: threshold }] } },
    );
    expect(split.result.summary).toMatchObject({ units: units.length + 1, split: 1 });
    const c = dataOf(split);
    const cEnds = Array.from(c.arrays.spikeTimesIndex.data as ArrayLike<number>);
    const cAmps = c.arrays.spikeAmplitudes.data as Float32Array;
    const rows = cEnds.map((e, i) => Array.from(cAmps.subarray(i ? cEnds[i - 1] : 0, e), Math.abs));
    const sides = (c.json.units as { split?: string }[]).map((u) => u.split);
    const below = rows[sides.indexOf('below')],
      above = rows[sides.indexOf('above')];
    expect(below.length + above.length).toBe(unitAmps[big].length);
    expect(Math.max(...below)).toBeLessThanOrEqual(threshold);
    expect(Math.min(...above)).toBeGreaterThan(threshold);
    // the Units files carry both: spike_amplitudes (volts) aligned with spike_times, waveform_mean per channel
    for (const o of [sort, split]) {
      const file = analysisFile(o);
      expectValid(file);
      const nwb = await openNwb(file);
      const table = nwb.table('/units');
      const col = table.columns.spike_amplitudes.values as ArrayLike<number>[];
      const times = nwb.units()!.spikeTimes;
      expect(col.map((r) => r.length)).toEqual(times.map((t) => t.length));
      expect(table.columns.waveform_mean.shape).toEqual([times.length, len, 4]);
      nwb.close();
    }
  });

  it('extracts clusterless marks per electrode group', async () => {
    const d = dataOf(await runStep(store, marksStep, { raw: { file: SESSION } }));
    const groups = d.json.groups as { name: string; channels: number; spikes: number }[];
    expect(groups.map((g) => [g.name, g.channels])).toEqual([
      ['tetrode0', 4],
      ['tetrode1', 4],
    ]);
    const ends = d.arrays.timesIndex.data;
    expect(ends[ends.length - 1]).toBe(d.arrays.times.shape[0]);
    expect(d.arrays.marks.shape[0]).toBe(4 * d.arrays.times.shape[0]);
  });

  it('writes the marks as one table per electrode group', async () => {
    const r = await runStep(store, marksStep, { raw: { file: SESSION } });
    const d = dataOf(r);
    const file = analysisFile(r);
    expectValid(file);
    const nwb = await openNwb(file);
    const t0 = nwb.table('/processing/ecephys/marks_tetrode0');
    const n0 = (d.json.groups as { spikes: number }[])[0].spikes;
    expect(Array.from(t0.columns.spike_time.values as Float64Array)).toEqual(
      Array.from((d.arrays.times.data as Float64Array).subarray(0, n0)),
    );
    expect(t0.columns.marks.shape).toEqual([n0, 4]);
    expect(nwb.table('/processing/ecephys/marks_tetrode1').ids.length).toBe(d.arrays.times.shape[0] - n0);
    nwb.close();
  });

  it('linearizes position along a track graph, and names the missing graph', async () => {
    const track = fixture('linear-track-units.nwb');
    const r = await runStep(
      store,
      linearizeStep,
      { session: { file: track } },
      {
        overrides: {
          nodes: [
            [0, 0],
            [200, 0],
          ],
          edges: [[0, 1]],
        },
      },
    );
    const lin = dataOf(r).arrays.linearPosition.data as Float64Array;
    expect(lin.length).toBe(27000);
    expect(Math.min(...lin)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...lin)).toBeLessThanOrEqual(200.5);
    await expect(runStep(store, linearizeStep, { session: { file: track } })).rejects.toThrow(/track graph/);
    // As an analysis file: linear_position and track_segment under behavior.
    const file = analysisFile(r);
    expectValid(file);
    const nwb = await openNwb(file);
    expect(Array.from(nwb.numbers('/processing/behavior/BehavioralTimeSeries/linear_position/data'))).toEqual(
      Array.from(lin),
    );
    expect(nwb.numbers('/processing/behavior/BehavioralTimeSeries/track_segment/timestamps').length).toBe(lin.length);
    nwb.close();
  });
});
