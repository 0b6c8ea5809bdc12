// The worker's API run in Node on the tetrode fixture: the tree, tables, a trace window that
// reads one chunk, filtering and the common reference, units, position and intervals.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, findNodes } from '../src/lib/tree.js';
import { NwbApi } from '../src/worker/nwb-api.js';

const TETRODE = '/work/shared/fixtures/tetrode-session.nwb';

describe.runIf(existsSync(TETRODE))('NwbApi on the tetrode fixture', () => {
  const api = new NwbApi();
  beforeAll(async () => {
    await api.open(TETRODE);
  });
  afterAll(() => api.close());

  it('summarises the session and lists every data object, tables and series as leaves', () => {
    const s = api.summary();
    expect(s.metadata.sessionDescription).toBe('synthetic linear-track session');
    expect(s.series.map((x) => x.path)).toEqual(['/acquisition/e-series', '/processing/ecephys/LFP/lfp']);
    expect(s.electrodes?.groupNames).toHaveLength(8);
    const tree = buildTree(api.tree());
    const byPath = (p: string) => findNodes(tree, (n) => n.path === p)[0];
    expect(byPath('/acquisition/e-series')).toMatchObject({
      view: 'traces',
      neurodataType: 'ElectricalSeries',
      children: [],
    });
    expect(byPath('/processing/behavior/Position/position').view).toBe('position');
    expect(byPath('/units')).toMatchObject({ view: 'units', children: [] });
    expect(byPath('/intervals/epochs').view).toBe('intervals');
    expect(byPath('/general/extracellular_ephys/electrodes')).toMatchObject({ view: 'table', children: [] });
    expect(findNodes(tree, (n) => n.path.startsWith('/specifications'))).toHaveLength(0);
  });

  it('reads tables with reference cells named by their target', () => {
    const t = api.table('/units');
    expect(t.ids).toHaveLength(10);
    expect(t.colnames).toEqual(['quality', 'spike_times', 'electrode_group']);
    const eg = t.colnames.indexOf('electrode_group');
    expect(t.rows[0][eg]).toMatch(/^tetrode\d$/);
    expect(t.rows[0][t.colnames.indexOf('spike_times')]).toMatch(/^\[\d+ values\]$/);
  });

  it('reads a trace window from its chunk only, decimated to the requested width', () => {
    const w = api.traces({ path: '/acquisition/e-series', t0: 2.1, t1: 2.6, channels: [0, 3], buckets: 500 });
    expect(w.rows).toEqual([63000, 78000]);
    expect(w.chunkReads).toBe(1);
    expect(w.envelope).toBe(true);
    expect(w.ys).toHaveLength(2);
    expect(w.x).toHaveLength(1000);
    const again = api.traces({ path: '/acquisition/e-series', t0: 2.3, t1: 2.8, channels: [0, 3], buckets: 500 });
    expect(again).toMatchObject({ chunkReads: 0, cacheHits: 1 });
  });

  it('band-passes and re-references the window: the filtered trace has no offset and less low-frequency power', () => {
    const raw = api.traces({ path: '/acquisition/e-series', t0: 5, t1: 5.01, channels: [1], buckets: 10_000 });
    const filtered = api.traces({
      path: '/acquisition/e-series',
      t0: 5,
      t1: 5.01,
      channels: [1],
      buckets: 10_000,
      bandpass: [300, 6000],
      commonRef: true,
    });
    expect(raw.envelope).toBe(false);
    expect(filtered.x).toEqual(raw.x);
    const mean = (y: Float32Array) => y.reduce((a, b) => a + b, 0) / y.length;
    const std = (y: Float32Array) => Math.sqrt(y.reduce((a, b) => a + (b - mean(y)) ** 2, 0) / y.length);
    // 300 Hz high-pass: no DC left in a 10 ms window, and a trace that is not the raw one.
    expect(Math.abs(mean(filtered.ys[0]))).toBeLessThan(0.2 * std(filtered.ys[0]));
    expect(filtered.ys[0]).not.toEqual(raw.ys[0]);
    expect(() =>
      api.traces({
        path: '/processing/ecephys/LFP/lfp',
        t0: 0,
        t1: 1,
        channels: [0],
        buckets: 100,
        bandpass: [300, 6000],
      }),
    ).toThrow(/bandpass.*500 Hz/);
  });

  it('gives units, position and intervals', () => {
    const u = api.units()!;
    expect(u.spikeTimes).toHaveLength(10);
    expect(u.waveforms).toBeUndefined();
    const [p] = api.position();
    expect(p).toMatchObject({ dims: 2, unit: 'meters' });
    expect(p.t).toHaveLength(900);
    expect(api.intervals()[0]).toMatchObject({ name: 'epochs' });
  });
});

const NEUROCONV = '/work/shared/fixtures/public/neuroconv_ecephys_tutorial_v2.5.0.nwb';

describe.runIf(existsSync(NEUROCONV))('NwbApi on a public neuroconv file', () => {
  it('gives each unit its mean waveform', async () => {
    const api = new NwbApi();
    await api.open(NEUROCONV);
    const u = api.units()!;
    expect(u.waveforms).toBeDefined();
    const { values, samples, channels } = u.waveforms!;
    expect(values).toHaveLength(u.ids.length);
    expect(values[0]).toHaveLength(samples * channels);
    api.close();
  });
});
