import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { NwbWriter, openNwb, type NwbFileInput } from '../src/index.js';
import { loadH5wasm } from '../src/h5/h5wasm.js';

const tmp = mkdtempSync(join(os.tmpdir(), 'nwb-io-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const session: NwbFileInput = {
  identifier: 'analysis-1',
  sessionDescription: 'round trip',
  sessionStartTime: '2024-01-26T10:00:00+00:00',
  experimenter: ['Tester, A'],
  lab: 'Frank',
};

/** A file with every type the writer knows. */
async function writeAll(path: string | null) {
  const w = await NwbWriter.create(path, session);
  w.addElectrodes({
    groups: [
      { name: 'tetrode0', location: 'CA1', device: 'drive' },
      { name: 'tetrode1', location: 'CA1', device: 'drive' },
    ],
    group: ['tetrode0', 'tetrode0', 'tetrode1', 'tetrode1'],
    ids: [10, 11, 12, 13],
    x: [0, 1, 2, 3],
    columns: { probe_shank: { values: [0, 0, 1, 1] } },
  });
  const lfp = Float32Array.from({ length: 1000 * 4 }, (_, i) => Math.sin(i / 10) * 1e-4);
  const app = w.addElectricalSeries({
    name: 'lfp',
    data: { data: lfp.subarray(0, 600 * 4), rows: 600, cols: 4 },
    rate: 1000,
    startingTime: 2.5,
    electrodes: [0, 1, 2, 3],
    chunkRows: 256,
  });
  app.append({ data: lfp.subarray(600 * 4), rows: 400, cols: 4 });
  w.addUnits({
    spikeTimes: [Float64Array.of(0.1, 0.2, 0.3), Float64Array.of(), Float64Array.of(1.5)],
    electrodeGroups: ['tetrode0', 'tetrode0', 'tetrode1'],
    columns: { snr: { values: [5.5, 7, 12], description: 'SNR' }, label: { values: ['accept', 'noise', 'mua'] } },
    waveformMean: { data: new Float32Array(3 * 5).fill(0.5), shape: [3, 5] },
  });
  w.addTimeIntervals({
    name: 'ripple_times',
    module: 'ripples',
    description: 'ripples',
    start: [1, 2],
    stop: [1.05, 2.1],
    columns: { peak_time: { values: [1.02, 2.04] } },
  });
  w.addTimeSeries({
    name: 'decoded_position',
    module: 'decoding',
    container: 'Position',
    unit: 'meters',
    data: { data: Float64Array.of(0.1, 0.2, 0.3), rows: 3, cols: 1 },
    timestamps: Float64Array.of(0, 0.002, 0.004),
    spatial: { referenceFrame: 'track start' },
  });
  const posterior = w.addTimeSeries({
    name: 'posterior',
    module: 'decoding',
    unit: 'probability',
    data: { data: new Float32Array(3 * 4).fill(0.25), rows: 3, cols: 4 },
    timestamps: Float64Array.of(0, 0.002, 0.004, 0.006, 0.008),
  });
  // the rest appended later (a series written window by window)
  posterior.append({ data: Float32Array.of(1, 0, 0, 0, 0, 0, 0, 1), rows: 2, cols: 4 });
  w.setProvenance({ step: 'test', params: { a: 1 } });
  return w.close();
}

describe('NwbWriter round trip (write -> read -> equal)', () => {
  it('every type reads back equal', async () => {
    const path = join(tmp, 'all.nwb');
    expect(await writeAll(path)).toBe(path);
    const nwb = await openNwb(path);
    try {
      expect(nwb.metadata).toMatchObject({
        identifier: 'analysis-1',
        sessionDescription: 'round trip',
        nwbVersion: '2.6.0',
        experimenter: ['Tester, A'],
        lab: 'Frank',
      });
      expect(Object.keys(nwb.metadata.namespaces).sort()).toEqual(['core', 'hdmf-common', 'hdmf-experimental']);
      const e = nwb.electrodes()!;
      expect(Array.from(e.ids)).toEqual([10, 11, 12, 13]);
      expect(e.groupNames).toEqual(['tetrode0', 'tetrode0', 'tetrode1', 'tetrode1']);
      expect(Array.from(e.columns.probe_shank.values as Float64Array)).toEqual([0, 0, 1, 1]);
      const [info] = nwb.electricalSeries();
      expect(info).toMatchObject({
        path: '/processing/ecephys/LFP/lfp',
        shape: [1000, 4],
        electrodeIds: [10, 11, 12, 13],
        chunks: [256, 4],
      });
      expect(info.timing).toMatchObject({ kind: 'rate', rate: 1000, startingTime: 2.5 });
      expect(info.compression).toContain('deflate');
      const back = nwb.series('lfp').read();
      expect(back.data[4 * 999 + 3]).toBeCloseTo(Math.sin((4 * 999 + 3) / 10) * 1e-4, 9);
      const u = nwb.units()!;
      expect(u.spikeTimes.map((s) => Array.from(s))).toEqual([[0.1, 0.2, 0.3], [], [1.5]]);
      expect(u.electrodeGroups).toEqual(['tetrode0', 'tetrode0', 'tetrode1']);
      expect(Array.from(u.columns.snr.values as Float64Array)).toEqual([5.5, 7, 12]);
      expect(u.columns.label.values).toEqual(['accept', 'noise', 'mua']);
      expect(u.columns.waveform_mean.shape).toEqual([3, 5]);
      const rip = nwb.intervals().find((t) => t.name === 'ripple_times')!;
      expect(rip.path).toBe('/processing/ripples/ripple_times');
      expect(rip.intervals).toEqual([
        [1, 1.05],
        [2, 2.1],
      ]);
      expect(Array.from(rip.columns.peak_time.values as Float64Array)).toEqual([1.02, 2.04]);
      const [pos] = nwb.position();
      expect(pos.path).toBe('/processing/decoding/Position/decoded_position');
      expect(Array.from(pos.data.data)).toEqual([0.1, 0.2, 0.3]);
      expect(pos.referenceFrame).toBe('track start');
      expect(nwb.typeOf('/processing/decoding/posterior')).toBe('TimeSeries');
      const appended = nwb.numbers('/processing/decoding/posterior/data');
      expect(Array.from(appended.subarray(8))).toEqual([0.25, 0.25, 0.25, 0.25, 1, 0, 0, 0, 0, 0, 0, 1]);
      const prov = nwb.table('/analysis/spyglass_provenance');
      expect(JSON.parse((prov.columns.record.values as string[])[0])).toEqual({ step: 'test', params: { a: 1 } });
    } finally {
      nwb.close();
    }
  });

  it('puts namespace, neurodata_type and object_id on every typed object, with pynwb dtypes', async () => {
    const path = join(tmp, 'typed.nwb');
    await writeAll(path);
    const { h5 } = await loadH5wasm();
    const f = new h5.File(path, 'r');
    try {
      const ids = new Set<string>();
      let typed = 0;
      for (const p of f.paths()) {
        if (p.startsWith('/specifications') || p.endsWith('/device')) continue; // device: a soft link to /general/devices/*
        const obj = f.get(p) as { attrs: Record<string, { value: unknown }> };
        if (!obj?.attrs?.neurodata_type) continue;
        typed++;
        expect(['core', 'hdmf-common']).toContain(obj.attrs.namespace.value);
        const id = String(obj.attrs.object_id.value);
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        expect(ids.has(id)).toBe(false);
        ids.add(id);
      }
      expect(typed).toBeGreaterThan(25);
      expect(f.get_link('/general/extracellular_ephys/tetrode0/device')).toBe('/general/devices/drive');
      const meta = (p: string) => (f.get(p) as { metadata: { type: number; size: number; signed: boolean } }).metadata;
      expect(meta('/units/spike_times_index')).toMatchObject({ type: 0, signed: false });
      expect(meta('/units/id')).toMatchObject({ type: 0, size: 8, signed: true });
      expect(
        (
          f.get('/processing/ecephys/LFP/lfp/starting_time') as {
            attrs: Record<string, { metadata: { size: number } }>;
          }
        ).attrs.rate.metadata.size,
      ).toBe(8);
    } finally {
      f.close();
    }
  });

  it('writes a long series a slab of chunks at a time, reading back every sample in place', async () => {
    const path = join(tmp, 'slabs.nwb');
    const w = await NwbWriter.create(path, session);
    w.addElectrodes({ groups: [{ name: 'tetrode0' }], group: ['tetrode0', 'tetrode0', 'tetrode0'], ids: [0, 1, 2] });
    const rows = 1000,
      cols = 3; // chunkRows 16: slabs of 128 rows, the last one partial
    const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.fround(Math.cos(i / 7)));
    const more = Float32Array.from({ length: 50 * cols }, (_, i) => i);
    const app = w.addElectricalSeries({
      name: 'lfp',
      data: { data, rows, cols },
      rate: 1000,
      electrodes: [0, 1, 2],
      chunkRows: 16,
    });
    expect(app.rows).toBe(rows);
    app.append({ data: more, rows: 50, cols });
    await w.close();
    const nwb = await openNwb(path);
    try {
      expect(nwb.electricalSeries()[0]).toMatchObject({ shape: [rows + 50, cols], chunks: [16, cols] });
      const back = nwb.series('lfp').read().data;
      expect(Array.from(back)).toEqual([...data, ...more]);
    } finally {
      nwb.close();
    }
  });

  it('writes timestamps window by window with the data, and links another series to them', async () => {
    const path = join(tmp, 'windowed-times.nwb');
    const w = await NwbWriter.create(path, session);
    const rows = 300_000; // more than two timestamp chunks (131 072 rows)
    const times = Float64Array.from({ length: rows }, (_, i) => 10 + i * 0.002);
    const values = Float64Array.from({ length: rows }, (_, i) => Math.sin(i / 100));
    const windows = [0, 1000, 140_000, 262_144, rows];
    const first = w.addTimeSeries({
      name: 'decoded_position',
      module: 'decoding',
      unit: 'meters',
      data: { data: values.subarray(0, windows[1]), rows: windows[1], cols: 1 },
      timestamps: times.subarray(0, windows[1]),
      timestampsInWindows: true,
    });
    const linked = w.addTimeSeries({
      name: 'posterior_mean_position',
      module: 'decoding',
      unit: 'meters',
      data: { data: values.subarray(0, windows[1]), rows: windows[1], cols: 1 },
      timestampsOf: '/processing/decoding/decoded_position',
    });
    for (let k = 1; k + 1 < windows.length; k++) {
      const [a, b] = [windows[k], windows[k + 1]];
      first.append({ data: values.subarray(a, b), rows: b - a, cols: 1 }, times.subarray(a, b));
      linked.append({ data: values.subarray(a, b), rows: b - a, cols: 1 });
    }
    // a windowed series needs each append's timestamps; a linked one takes none
    expect(() => first.append({ data: values.subarray(0, 2), rows: 2, cols: 1 })).toThrow(/'timestamps'/);
    expect(() => first.append({ data: values.subarray(0, 2), rows: 2, cols: 1 }, times.subarray(0, 1))).toThrow(
      ParameterError,
    );
    expect(() => linked.append({ data: values.subarray(0, 2), rows: 2, cols: 1 }, times.subarray(0, 2))).toThrow(
      /'timestamps'/,
    );
    expect(() =>
      w.addTimeSeries({
        name: 'orphan',
        module: 'decoding',
        unit: 'meters',
        data: { data: values.subarray(0, 2), rows: 2, cols: 1 },
        timestampsOf: '/processing/decoding/nope',
      }),
    ).toThrow(/'timestampsOf'/);
    expect(() =>
      w.addTimeSeries({
        name: 'short',
        module: 'decoding',
        unit: 'meters',
        data: { data: values.subarray(0, 2), rows: 2, cols: 1 },
        timestamps: times.subarray(0, 3),
        timestampsInWindows: true,
      }),
    ).toThrow(/'timestamps'/);
    // refused before anything of the series is written
    expect(() =>
      w.addTimeSeries({
        name: 'no_times',
        module: 'decoding',
        unit: 'meters',
        data: { data: values.subarray(0, 2), rows: 2, cols: 1 },
        timestampsInWindows: true,
      }),
    ).toThrow(/'timestamps'/);
    await w.close();
    const { h5 } = await loadH5wasm();
    const written = new h5.File(path, 'r');
    try {
      expect((written.get('/processing/decoding') as { keys(): string[] }).keys().sort()).toEqual([
        'decoded_position',
        'posterior_mean_position',
      ]);
    } finally {
      written.close();
    }
    const nwb = await openNwb(path);
    try {
      for (const name of ['decoded_position', 'posterior_mean_position']) {
        expect(nwb.numbers(`/processing/decoding/${name}/timestamps`)).toEqual(times);
        expect(nwb.numbers(`/processing/decoding/${name}/data`)).toEqual(values);
      }
    } finally {
      nwb.close();
    }
    const f = new h5.File(path, 'r');
    try {
      expect(f.get_link('/processing/decoding/posterior_mean_position/timestamps')).toBe(
        '/processing/decoding/decoded_position/timestamps',
      );
      const ts = f.get('/processing/decoding/decoded_position/timestamps') as {
        attrs: Record<string, { value: unknown }>;
      };
      expect([ts.attrs.interval.value, ts.attrs.unit.value]).toEqual([1, 'seconds']);
    } finally {
      f.close();
    }
  });

  it('writes in memory and returns the bytes', async () => {
    const bytes = (await writeAll(null)) as Uint8Array;
    expect(bytes.length).toBeGreaterThan(100_000);
    const nwb = await openNwb(bytes, { name: 'memory.nwb' });
    expect(nwb.units()!.spikeTimes.length).toBe(3);
    nwb.close();
  });
});

describe('timestamps that are not a time base are reported, not silently read as one', () => {
  it('flags non-monotonic and irregular timestamps in the series warnings', async () => {
    const path = join(tmp, 'bad-times.nwb');
    const w = await NwbWriter.create(path, session);
    w.addElectrodes({ groups: [{ name: 'g' }], group: ['g'] });
    const t = Float64Array.from({ length: 100 }, (_, i) => i / 1000);
    t[50] = t[48]; // goes backwards
    w.addElectricalSeries({
      name: 'x',
      container: 'FilteredEphys',
      data: { data: new Float32Array(100), rows: 100, cols: 1 },
      timestamps: t,
      electrodes: [0],
    });
    await w.close();
    const nwb = await openNwb(path);
    try {
      const [s] = nwb.electricalSeries();
      expect(s.timing).toMatchObject({ kind: 'timestamps', nonMonotonicAt: 50 });
      expect(s.warnings).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/timestamps: not increasing at index 50/),
          expect.stringMatching(/steps differ from the median/),
        ]),
      );
    } finally {
      nwb.close();
    }
  });
});

describe('nothing is ever lost', () => {
  it('writes under a temporary name; the real name appears only on close', async () => {
    const dir = mkdtempSync(join(tmp, 'atomic-'));
    const path = join(dir, 'out.nwb');
    const w = await NwbWriter.create(path, session);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial')).length).toBe(1);
    await w.close();
    expect(readdirSync(dir)).toEqual(['out.nwb']);
  });

  it('abort leaves neither the real file nor the temporary one', async () => {
    const dir = mkdtempSync(join(tmp, 'abort-'));
    const w = await NwbWriter.create(join(dir, 'out.nwb'), session);
    w.addDevice('d');
    await w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects bad input with ParameterError', async () => {
    await expect(NwbWriter.create(join(tmp, 'x.nwb'), { ...session, sessionStartTime: 'yesterday' })).rejects.toThrow(
      /'sessionStartTime'/,
    );
    const w = await NwbWriter.create(null, session);
    expect(() =>
      w.addElectricalSeries({
        name: 'x',
        data: { data: new Float32Array(4), rows: 2, cols: 2 },
        rate: 1,
        electrodes: [0, 1],
      }),
    ).toThrow(/addElectrodes/);
    w.addElectrodes({ groups: [{ name: 'g' }], group: ['g', 'g'] });
    expect(() =>
      w.addElectricalSeries({
        name: 'x',
        data: { data: new Float32Array(4), rows: 2, cols: 2 },
        rate: 1,
        electrodes: [0],
      }),
    ).toThrow(ParameterError);
    expect(() =>
      w.addElectricalSeries({ name: 'y', data: { data: new Float32Array(4), rows: 2, cols: 2 }, electrodes: [0, 1] }),
    ).toThrow(/'rate'/);
    expect(() => w.addUnits({ spikeTimes: [Float64Array.of(1)], electrodeGroups: ['nope'] })).toThrow(
      /'electrodeGroups'/,
    );
    await w.abort();
  });
});
