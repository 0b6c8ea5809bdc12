import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPublicFixtures, publicFixture } from '../../../scripts/test-fixtures.js';
import { NwbFormatError, ParameterError } from '@spyglass-wasm/core';
import { openNwb } from '../src/index.js';
import { fixture } from './fixtures.js';

const truth = JSON.parse(readFileSync(fixture('tetrode-session.truth.json'), 'utf8'));
const tmp = mkdtempSync(join(os.tmpdir(), 'nwb-io-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('tetrode-session.nwb (pynwb, NWB 2.6)', async () => {
  const nwb = await openNwb(fixture('tetrode-session.nwb'));
  afterAll(() => nwb.close());

  it('reads session metadata and cached namespaces', () => {
    expect(nwb.metadata.identifier).toBe('00000000-0000-0000-7e59-9e31a57f4a57');
    expect(nwb.metadata.nwbVersion).toBe('2.6.0');
    expect(nwb.metadata.sessionStartTime).toBe('2024-01-26T10:00:00+00:00');
    expect(nwb.metadata.experimenter).toEqual(['Synthetic, Generator']);
    expect(Object.keys(nwb.metadata.namespaces)).toContain('core');
  });

  it('reads the electrodes table with groups resolved to names', () => {
    const e = nwb.electrodes()!;
    expect(Array.from(e.ids)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(e.groupNames).toEqual([
      'tetrode0',
      'tetrode0',
      'tetrode0',
      'tetrode0',
      'tetrode1',
      'tetrode1',
      'tetrode1',
      'tetrode1',
    ]);
    expect(Object.keys(e.columns)).toEqual(
      expect.arrayContaining(['x', 'y', 'z', 'rel_x', 'probe_shank', 'location', 'filtering', 'group']),
    );
  });

  it('describes raw and LFP ElectricalSeries with rate, conversion and electrodes', () => {
    const series = nwb.electricalSeries();
    expect(series.map((s) => s.path)).toEqual(['/acquisition/e-series', '/processing/ecephys/LFP/lfp']);
    const [raw, lfp] = series;
    expect(raw.shape).toEqual([900000, 8]);
    expect(raw.dtype).toMatch(/h|i2/);
    expect(raw.conversion).toBeCloseTo(1.95e-7, 15);
    expect(raw.timing).toMatchObject({ kind: 'rate', rate: 30000, startingTime: 0 });
    expect(raw.electrodeIds).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(raw.chunks).toEqual([30000, 8]);
    expect(raw.compression).toContain('deflate');
    expect(lfp.timing).toMatchObject({ kind: 'rate', rate: 1000 });
    expect(raw.warnings).toEqual([]);
  });

  it('reads windows in volts and µV touching only the chunks that hold them, with a chunk cache', () => {
    const s = nwb.series('e-series');
    const raw = s.read({ rows: [100, 103], channels: [2, 3, 4], scale: 'raw' });
    expect(Array.from(raw.data)).toEqual([88, 126, 98, 158, 157, 155, 141, 173, 180]);
    const uv = s.read({ rows: [100, 103], channels: [2, 3, 4], scale: 'microvolts' });
    expect(uv.data[0]).toBeCloseTo(88 * 1.95e-7 * 1e6, 3);
    expect(s.stats.chunkReads).toBe(1);
    s.read({ rows: [29990, 30010] }); // spans chunks 0 and 1: one new read
    expect(s.stats.chunkReads).toBe(2);
    s.read({ rows: [29000, 29010] }); // cached
    expect(s.stats.chunkReads).toBe(2);
    expect(() => s.read({ rows: [0, 900001] })).toThrow(ParameterError);
    expect(() => s.read({ channels: [8] })).toThrow(/'channels'/);
  });

  it('decompresses each chunk once on a sequential read, its cache bounded by bytes as well as chunks', () => {
    // chunks of 30000 × 8 int16 are 480 kB: a 1 MB cache holds two of them
    const s = nwb.series('e-series', { cacheBytes: 1e6 });
    for (let r = 0; r < 900000; r += 7000) s.read({ rows: [r, Math.min(900000, r + 7000)], scale: 'raw' });
    expect(s.stats.chunkReads).toBe(30);
    s.read({ rows: [0, 10], scale: 'raw' }); // long evicted
    expect(s.stats.chunkReads).toBe(31);
    s.read({ rows: [899990, 900000], scale: 'raw' }); // the last chunk is still held
    expect(s.stats.chunkReads).toBe(31);
    const whole = nwb.series('e-series').read({ rows: [123456, 234567], scale: 'raw' });
    expect(s.read({ rows: [123456, 234567], scale: 'raw' }).data).toEqual(whole.data);
  });

  it('reads all channels across a chunk boundary (whole rows copied) the same as channel by channel', () => {
    const s = nwb.series('e-series');
    const rows: [number, number] = [29990, 30010];
    const all = s.read({ rows, scale: 'microvolts' });
    const one = [0, 3, 7].map((c) => s.read({ rows, channels: [c], scale: 'microvolts' }).data);
    [0, 3, 7].forEach((c, k) => {
      for (let r = 0; r < 20; r++) expect(all.data[r * 8 + c]).toBe(one[k][r]);
    });
    const raw = s.read({ rows, scale: 'raw' });
    expect(all.data[8 * 10 + 5]).toBeCloseTo(raw.data[8 * 10 + 5] * 1.95e-7 * 1e6, 3);
  });

  it("reads a scaled window into a caller's buffer (out), and refuses one too small", () => {
    const s = nwb.series('e-series');
    const rows: [number, number] = [29990, 30010];
    const fresh = s.read({ rows, channels: [1, 2], scale: 'microvolts' });
    const out = new Float32Array(100).fill(7);
    const into = s.read({ rows, channels: [1, 2], scale: 'microvolts', out });
    expect(into.data.buffer).toBe(out.buffer);
    expect(Array.from(into.data)).toEqual(Array.from(fresh.data));
    expect(out[40]).toBe(7); // past the window: untouched
    expect(() => s.read({ rows, scale: 'microvolts', out })).toThrow(ParameterError);
  });

  it('streams a whole series in bounded chunks that add up to the whole', async () => {
    const s = nwb.series('/processing/ecephys/LFP/lfp');
    let rows = 0,
      sum = 0;
    for await (const { start, data } of s.chunks({ rowsPerChunk: 7000 })) {
      expect(start).toBe(rows);
      rows += data.rows;
      for (const v of data.data) sum += v;
    }
    const whole = s.read();
    expect(rows).toBe(30000);
    expect(sum).toBeCloseTo(
      whole.data.reduce((a: number, b: number) => a + b, 0),
      6,
    );
  });

  it('reads Units with ragged spike times equal to the truth file', () => {
    const u = nwb.units()!;
    expect(u.spikeTimes.length).toBe(10);
    expect(u.electrodeGroups!.length).toBe(10);
    const total = u.spikeTimes.reduce((a, s) => a + s.length, 0);
    expect(total).toBe(829);
    expect(u.columns.quality.values.length).toBe(10);
    expect(truth.units.length).toBe(10);
  });

  it('reads Position (SpatialSeries) and epochs', () => {
    const [pos] = nwb.position();
    expect(pos.path).toBe('/processing/behavior/Position/position');
    expect(pos.data.rows).toBe(900);
    expect(pos.data.cols).toBe(2);
    expect(pos.unit).toBe('meters');
    expect(pos.timing.kind).toBe('timestamps');
    const [epochs] = nwb.intervals();
    expect(epochs.name).toBe('epochs');
    expect(epochs.intervals.length).toBe(1);
    expect(epochs.columns.tags.values).toEqual([['run']]);
    expect(
      nwb
        .processingModules()
        .map((m) => m.name)
        .sort(),
    ).toEqual(['behavior', 'ecephys']);
  });
});

describe('other fixtures', () => {
  it('linear-track-units.nwb: 40 units (uint32 index) and 27000 position samples', async () => {
    const nwb = await openNwb(fixture('linear-track-units.nwb'));
    try {
      const u = nwb.units()!;
      expect(u.spikeTimes.length).toBe(40);
      expect(u.spikeTimes.reduce((a, s) => a + s.length, 0)).toBe(88120);
      expect(nwb.position()[0].data.rows).toBe(27000);
      expect(nwb.electricalSeries()).toEqual([]);
    } finally {
      nwb.close();
    }
  });

  it.skipIf(!hasPublicFixtures)(
    'an old pynwb file (NWB 2.1.0, int32 indexes, trials, 2-D waveform columns)',
    async () => {
      const nwb = await openNwb(publicFixture('hdmfzarr_sub_anm00239123_ecephys_and_ogen.nwb'));
      try {
        expect(nwb.metadata.nwbVersion).toBe('2.1.0');
        expect(nwb.metadata.subject).toBeDefined();
        const u = nwb.units()!;
        expect(u.spikeTimes.length).toBe(4);
        expect(u.spikeTimes.reduce((a, s) => a + s.length, 0)).toBe(34057);
        expect(u.columns.waveform_mean.shape).toEqual([4, 29]);
        expect((u.columns.electrodes.values as Float64Array[]).length).toBe(4);
        expect(u.columns.electrodes.table).toBe('/general/extracellular_ephys/electrodes');
        const trials = nwb.intervals().find((t) => t.name === 'trials')!;
        expect(trials.intervals.length).toBe(412);
        expect(nwb.electrodes()!.groupNames[0]).toBe('ADunit_32');
      } finally {
        nwb.close();
      }
    },
  );

  it.skipIf(!hasPublicFixtures)('the neuroconv tutorial file (NWB 2.5.0): raw + LFP series and units', async () => {
    const nwb = await openNwb(publicFixture('neuroconv_ecephys_tutorial_v2.5.0.nwb'));
    try {
      const series = nwb.electricalSeries();
      expect(series.map((s) => [s.path, s.shape, s.timing.kind === 'rate' ? s.timing.rate : 0])).toEqual([
        ['/acquisition/ElectricalSeries', [50, 4], 20000],
        ['/processing/ecephys/LFP/ElectricalSeries', [50, 4], 200],
      ]);
      expect(nwb.series('/acquisition/ElectricalSeries').read({ rows: [0, 2] }).data.length).toBe(8);
      expect(series[0].warnings).toEqual(['/acquisition/ElectricalSeries/electrodes: 12 electrodes for 4 channels']);
      expect(nwb.units()!.spikeTimes.length).toBe(10);
      expect(nwb.metadata.namespaces['hdmf-experimental']).toEqual(['0.2.0']);
    } finally {
      nwb.close();
    }
  });

  it.skipIf(!hasPublicFixtures)('opens from bytes as well as from a path', async () => {
    const nwb = await openNwb(new Uint8Array(readFileSync(publicFixture('neuroconv_ecephys_tutorial_v2.5.0.nwb'))), {
      name: 'tutorial.nwb',
    });
    try {
      expect(nwb.name).toBe('tutorial.nwb');
      expect(nwb.units()!.spikeTimes.length).toBe(10);
    } finally {
      nwb.close();
    }
  });
});

describe('bad input gives NwbFormatError naming the file and the HDF5 path', () => {
  it('a missing file', async () => {
    await expect(openNwb(join(tmp, 'nope.nwb'))).rejects.toThrow(NwbFormatError);
  });

  it('a file that is not HDF5', async () => {
    const p = join(tmp, 'text.nwb');
    writeFileSync(p, 'this is not an HDF5 file at all');
    await expect(openNwb(p)).rejects.toThrow(/text\.nwb: \/: expected an HDF5 file/);
    await expect(openNwb(new TextEncoder().encode('nope'), { name: 'mem.nwb' })).rejects.toThrow(/mem\.nwb/);
  });

  it('a truncated file', async () => {
    const p = join(tmp, 'truncated.nwb');
    copyFileSync(fixture('linear-track-units.nwb'), p);
    truncateSync(p, Math.floor(statSync(p).size / 2));
    await expect(openNwb(p)).rejects.toThrow(
      /truncated\.nwb: \/: expected a complete HDF5 file of \d+ bytes \(file has \d+: truncated\)/,
    );
  });

  it('an HDF5 file that is not NWB', async () => {
    const { h5 } = await import('../src/h5/h5wasm.js').then((m) => m.loadH5wasm());
    const p = join(tmp, 'plain.h5');
    const f = new h5.File(p, 'w');
    f.create_dataset({ name: 'x', data: new Float64Array([1, 2, 3]) });
    f.close();
    const err = await openNwb(p).catch((e) => e);
    expect(err).toBeInstanceOf(NwbFormatError);
    expect(err.file).toBe(p);
    expect(err.path).toBe('/');
    expect(err.message).toMatch(/expected an NWB file/);
  });

  it('a missing required field names its path', async () => {
    const { h5 } = await import('../src/h5/h5wasm.js').then((m) => m.loadH5wasm());
    const p = join(tmp, 'partial.nwb');
    const f = new h5.File(p, 'w');
    f.create_attribute('nwb_version', '2.6.0');
    f.create_attribute('neurodata_type', 'NWBFile');
    f.create_dataset({ name: 'identifier', data: 'abc' });
    f.close();
    await expect(openNwb(p)).rejects.toThrow(/partial\.nwb: \/session_description: expected a required NWB string/);
  });

  it('an unknown series name lists the available ones', async () => {
    const nwb = await openNwb(fixture('tetrode-session.nwb'));
    try {
      expect(() => nwb.series('nope')).toThrow(/\/acquisition\/e-series/);
    } finally {
      nwb.close();
    }
  });
});
