// The reader on hostile files: every failed read raises, nothing hangs, silent wrong output becomes
// a typed error or a named warning, errors are one line, and odd objects never refuse a file.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { NwbFormatError, ParameterError } from '@spyglass-wasm/core';
import { NwbWriter, openNwb } from '../src/index.js';
import { H5Reader } from '../src/read/h5-reader.js';
import { compressedChunks } from '../scripts/fuzz.mjs';
import { runUnprivileged } from '../../../scripts/test-unprivileged.js';
import { fixture } from './fixtures.js';

const NWB_IO_DIST = new URL('../dist/index.js', import.meta.url).href;
import { SESSION, deflateToLzf, edit, writeSmall } from './hostile-files.js';

const tmp = mkdtempSync(join(os.tmpdir(), 'nwb-io-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Everything written to stderr while a test runs (HDF5-DIAG must never be). */
const stderr = vi.spyOn(process.stderr, 'write');
const consoleError = vi.spyOn(console, 'error');
afterEach(() => {
  expect(stderr.mock.calls.map((c) => String(c[0])).join('')).not.toMatch(/HDF5-DIAG|warning/);
  expect(consoleError).not.toHaveBeenCalled();
  stderr.mockClear();
  consoleError.mockClear();
});

/** The error a promise or call ends with (undefined when none). */
async function errorOf(fn: () => unknown): Promise<Error & { file?: string; path?: string }> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

function expectOneLine(err: Error): void {
  expect(err.message).not.toMatch(/\n/);
}

describe('1. a failed HDF5 read always raises', () => {
  it('a flipped byte inside chunk 1 of the raw series of tetrode-session.nwb: rows 30000-60000 raise, they are not chunk 0 again', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('tetrode-session.nwb')));
    const [, chunk1] = compressedChunks(bytes);
    bytes[chunk1[0] + 5000] ^= 0xff;
    const p = join(tmp, 'flipped-chunk.nwb');
    writeFileSync(p, bytes);
    const nwb = await openNwb(p);
    try {
      const s = nwb.series('e-series');
      expect(s.read({ rows: [0, 100], scale: 'raw' }).data[0]).toBe(
        nwb.series('e-series').read({ rows: [0, 1], scale: 'raw' }).data[0],
      );
      const err = await errorOf(() => s.read({ rows: [30000, 60000], scale: 'raw' }));
      expect(err).toBeInstanceOf(NwbFormatError);
      expect(err.file).toBe(p);
      expect(err.path).toBe('/acquisition/e-series/data');
      expect(err.message).toMatch(/rows 30000\.\.60000 .*deflate.*filter returned failure during read/);
      expectOneLine(err);
      // Again (no cached garbage), and a later window still reads.
      await expect(errorOf(() => s.read({ rows: [40000, 40010] }))).resolves.toBeInstanceOf(NwbFormatError);
      expect(s.read({ rows: [60000, 60010], scale: 'raw' }).rows).toBe(10);
    } finally {
      nwb.close();
    }
  });

  it('an unsupported filter (LZF) is named, in the listing and on read', async () => {
    const p = join(tmp, 'lzf.nwb');
    await writeSmall(p);
    deflateToLzf(p);
    const nwb = await openNwb(p);
    try {
      const [raw] = nwb.electricalSeries().filter((s) => s.path === '/processing/ecephys/raw');
      expect(raw.kind).toBe('unreadable');
      expect(raw.warnings[0]).toMatch(/'lzf' \(id 32000\)/);
      const err = await errorOf(() => nwb.series('raw'));
      expect(err).toBeInstanceOf(NwbFormatError);
      expect(err.message).toMatch(
        /lzf\.nwb: \/processing\/ecephys\/raw\/data: expected data compressed with filters h5wasm has .* it uses 'lzf' \(id 32000\)/,
      );
      expectOneLine(err);
    } finally {
      nwb.close();
    }
  });
});

describe('2. every read is bounded', () => {
  it('a global heap collection (variable-length strings) zeroed after its header raises instead of looping', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('tetrode-session.nwb')));
    const at = Buffer.from(bytes).indexOf('GCOL');
    const size = Number(new DataView(bytes.buffer).getBigUint64(at + 8, true));
    bytes.fill(0, at + 16, at + size);
    const p = join(tmp, 'zeroed-heap.nwb');
    writeFileSync(p, bytes);
    const err = await errorOf(async () => {
      const nwb = await openNwb(p);
      try {
        nwb.electrodes();
        nwb.units();
      } finally {
        nwb.close();
      }
    });
    expect(err).toBeInstanceOf(NwbFormatError);
    expect(err.message).toMatch(new RegExp(`global heap collection at byte ${at} has object 0 at byte 16 of size 0`));
    expectOneLine(err);
  });

  it('the whole collection zeroed (no signature) is an HDF5 error, and the reader keeps working', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('tetrode-session.nwb')));
    const at = Buffer.from(bytes).indexOf('GCOL');
    bytes.fill(0, at, at + 4096);
    const p = join(tmp, 'zeroed-heap-all.nwb');
    writeFileSync(p, bytes);
    const err = await errorOf(async () => (await openNwb(p)).electrodes());
    expect(err).toBeInstanceOf(NwbFormatError);
    expect(err.message).toMatch(/bad global heap collection signature/);
    const ok = await openNwb(fixture('tetrode-session.nwb'));
    expect(ok.electrodes()!.ids.length).toBe(8);
    ok.close();
  });
});

describe('3. silent wrong output becomes a typed error or a named warning', () => {
  const listing = async (p: string, options = {}) => {
    const nwb = await openNwb(p, options);
    return { nwb, raw: nwb.electricalSeries().find((s) => s.name === 'raw')! };
  };

  for (const [label, conversion] of [
    ['NaN', NaN],
    ['0', 0],
  ] as const) {
    it(`conversion ${label}: warned, and scaled reads refuse (raw reads work)`, async () => {
      const p = join(tmp, `conversion-${label}.nwb`);
      await writeSmall(p, { conversion });
      const { nwb, raw } = await listing(p);
      try {
        expect(raw.warnings).toContain(
          `/processing/ecephys/raw/data@conversion: ${label} is not a finite, non-zero gain`,
        );
        const err = await errorOf(() => nwb.series('raw').read({ rows: [0, 10] }));
        expect(err).toBeInstanceOf(NwbFormatError);
        expect(err.message).toMatch(/expected samples that can be scaled to volts .*scale: 'raw'/);
        expect(nwb.series('raw').read({ rows: [0, 10], scale: 'raw' }).rows).toBe(10);
      } finally {
        nwb.close();
      }
    });
  }

  it('conversion as a string: warned', async () => {
    const p = join(tmp, 'conversion-string.nwb');
    await writeSmall(p);
    await edit(p, (f) => {
      const d = f.get('/processing/ecephys/raw/data') as import('h5wasm').Dataset;
      d.delete_attribute('conversion');
      d.create_attribute('conversion', '1.95e-7');
    });
    const { nwb, raw } = await listing(p);
    expect(raw.unscalable).toMatch(/@conversion: the string "1\.95e-7" is not a finite, non-zero gain/);
    nwb.close();
  });

  it('starting_time NaN, rate 1e300 and rate <= 0: warned, sample times refuse', async () => {
    const cases: [string, Parameters<typeof writeSmall>[1], RegExp][] = [
      ['start-nan', { startingTime: NaN }, /starting_time: NaN is not a finite time/],
      ['rate-huge', { rate: 1e300 }, /starting_time@rate: 1e\+300 is not a sampling rate in \(0, 10000000\] Hz/],
    ];
    for (const [name, opts, warning] of cases) {
      const p = join(tmp, `${name}.nwb`);
      await writeSmall(p, opts);
      const { nwb, raw } = await listing(p);
      expect(raw.warnings.some((w) => warning.test(w))).toBe(true);
      const err = await errorOf(() => nwb.series('raw').timestamps());
      expect(err).toBeInstanceOf(NwbFormatError);
      nwb.close();
    }
    const p = join(tmp, 'rate-negative.nwb');
    await writeSmall(p);
    await edit(p, (f) => {
      const st = f.get('/processing/ecephys/raw/starting_time') as import('h5wasm').Dataset;
      st.delete_attribute('rate');
      st.create_attribute('rate', -5, null, '<d');
    });
    const { nwb, raw } = await listing(p);
    expect(raw.untimed).toMatch(/@rate: -5 is not a sampling rate/);
    nwb.close();
  });

  it('electrode indices past the electrodes table: warned, ids NaN (never invented)', async () => {
    const p = join(tmp, 'electrodes-past.nwb');
    await writeSmall(p, { electrodes: [0, 1, 2, 9] });
    const { nwb, raw } = await listing(p);
    expect(raw.warnings).toContain(
      '/processing/ecephys/raw/electrodes: row 9 at index 3 is not a row of the electrodes table (4 rows)',
    );
    expect(raw.electrodeIds).toEqual([0, 1, 2, NaN]);
    nwb.close();
  });

  it('external raw storage pointing at /etc/passwd is refused unless allowExternal', async () => {
    const p = fixture('hostile/external-storage.nwb');
    const nwb = await openNwb(p);
    const [es] = nwb.electricalSeries();
    expect(es.kind).toBe('unreadable');
    expect(es.warnings[0]).toMatch(
      /HDF5 tried to open '\/etc\/passwd' outside the file .* refused: pass \{ allowExternal: true \}/,
    );
    expectOneLine(await errorOf(() => nwb.series('es')));
    nwb.close();
    const allowed = await openNwb(p, { allowExternal: true });
    expect(allowed.electricalSeries()[0].kind).toBe('continuous');
    expect(allowed.series('es').read({ rows: [0, 4], scale: 'raw' }).rows).toBe(4);
    allowed.close();
  });

  it('a virtual dataset reading /etc/passwd is refused unless allowExternal', async () => {
    const nwb = await openNwb(fixture('hostile/virtual-dataset.nwb'));
    const [es] = nwb.electricalSeries();
    expect(es.kind).toBe('unreadable');
    expect(es.unreadable).toMatch(
      /virtual dataset reading \/etc\/passwd:data; refused: pass \{ allowExternal: true \}/,
    );
    nwb.close();
    // Allowed, HDF5 opens the source: /etc/passwd is no HDF5 file, which is said (not fill values).
    const allowed = await openNwb(fixture('hostile/virtual-dataset.nwb'), { allowExternal: true });
    expect(allowed.electricalSeries()[0].unreadable).toMatch(/HDF5: file signature not found/);
    allowed.close();
  });

  it('series data that is an external link to another file is refused unless allowExternal, then read through', async () => {
    const other = join(tmp, 'other.h5');
    const { loadH5wasm } = await import('../src/h5/h5wasm.js');
    const { h5 } = await loadH5wasm();
    const o = new h5.File(other, 'w');
    o.create_dataset({ name: 'samples', data: Int16Array.from({ length: 20 }, (_, i) => i), shape: [10, 2] });
    o.close();
    const p = join(tmp, 'external-link.nwb');
    await writeSmall(p);
    await edit(p, (f) => {
      const g = f.create_group('acquisition/linked');
      g.create_attribute('neurodata_type', 'ElectricalSeries');
      g.create_attribute('namespace', 'core');
      const st = g.create_dataset({ name: 'starting_time', data: 0, dtype: '<d' });
      st.create_attribute('rate', 1000, null, '<d');
      g.create_external_link(other, '/samples', 'data');
    });
    const nwb = await openNwb(p);
    const linked = nwb.electricalSeries().find((s) => s.name === 'linked')!;
    expect(linked.kind).toBe('unreadable');
    expect(linked.unreadable).toMatch(/refused: pass \{ allowExternal: true \}/);
    expect(nwb.electricalSeries().find((s) => s.name === 'raw')!.kind).toBe('continuous');
    nwb.close();
    const allowed = await openNwb(p, { allowExternal: true });
    expect(Array.from(allowed.series('linked').read({ rows: [0, 3], scale: 'raw' }).data)).toEqual([0, 1, 2, 3, 4, 5]);
    allowed.close();
  });
});

describe('4. one line per error, nothing on stderr', () => {
  it('raw JavaScript and WebAssembly errors at the boundary become NwbFormatError naming file and path', () => {
    const r = new H5Reader({ file: {} as never, name: 'x.nwb', run: (fn) => fn(), allowExternal: false }, {} as never);
    const raw = [
      new TypeError("Cannot read properties of null (reading 'keys')"),
      new TypeError('v is not iterable'),
      new RangeError('Maximum call stack size exceeded'),
      new WebAssembly.RuntimeError('memory access out of bounds'),
      new Error('error - name not defined!'),
      new Error(
        "HDF5-DIAG: Error detected in HDF5 (2.0.0):\n  #000: /src/H5D.c line 1 in H5Dread(): can't read data\n  #001: /src/H5Z.c line 2 in H5Z_pipeline(): filter returned failure during read\n",
      ),
    ];
    for (const e of raw) {
      let caught: unknown;
      try {
        r.guard('/units', () => {
          throw e;
        });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(NwbFormatError);
      const err = caught as NwbFormatError;
      expect(err.message.startsWith('x.nwb: /units: expected readable NWB data (')).toBe(true);
      expectOneLine(err);
    }
  });
});

describe('5. the writer and odd paths fail in one line', () => {
  it('NwbWriter.create into a folder that does not exist', async () => {
    const err = await errorOf(() => NwbWriter.create('/nonexistent/dir/x.nwb', SESSION));
    expect(err).toBeInstanceOf(ParameterError);
    expect(err.message).toBe(
      `parameter 'path': expected a file path in an existing, writable folder (the folder /nonexistent/dir does not exist), got "/nonexistent/dir/x.nwb"`,
    );
  });

  it('NwbWriter.create onto a folder', async () => {
    const err = await errorOf(() => NwbWriter.create(tmp, SESSION));
    expect(err).toBeInstanceOf(ParameterError);
    expect(err.message).toMatch(/is a folder/);
  });

  it('opening a folder, a FIFO, or a path through a file', async () => {
    const dir = join(tmp, 'a-folder.nwb');
    mkdirSync(dir);
    await expect(openNwb(dir)).rejects.toThrow(/a-folder\.nwb: \/: expected a regular file \(it is a folder\)$/);
    const fifo = join(tmp, 'fifo.nwb');
    execFileSync('mkfifo', [fifo]);
    await expect(openNwb(fifo)).rejects.toThrow(/fifo\.nwb: \/: expected a regular file \(it is a FIFO\)$/);
    const through = join(fixture('tetrode-session.nwb'), 'x.nwb');
    await expect(openNwb(through)).rejects.toThrow(/expected a readable file \(a part of the path is not a folder\)$/);
  });

  it('opening an unreadable file (run as nobody when the suite runs as root, who reads everything)', () => {
    const open = mkdtempSync(join(os.tmpdir(), 'nwb-locked-'));
    chmodSync(open, 0o755);
    const p = join(open, 'unreadable.nwb');
    writeFileSync(p, 'x', { mode: 0o000 });
    const r = runUnprivileged(
      `import { openNwb } from '${NWB_IO_DIST}';`,
      `await openNwb(${JSON.stringify(p)}).then(() => console.log('opened'), (e) => console.log(e.message));`,
    );
    expect(r.stdout.trim()).toMatch(/unreadable\.nwb.*expected a readable file \(permission denied\)$/);
    rmSync(open, { recursive: true, force: true });
  });
});

describe('6. events series and odd objects are listed, never fatal', () => {
  it('a SpikeEventSeries (events × channels × samples) is listed and read as such; a 4-D series is listed as unreadable', async () => {
    const p = join(tmp, 'spike-events.nwb');
    await writeSmall(p);
    const snippets = Int16Array.from({ length: 5 * 4 * 8 }, (_, i) => i - 80);
    await edit(p, (f) => {
      const g = f.create_group('acquisition/spikes');
      g.create_attribute('neurodata_type', 'SpikeEventSeries');
      g.create_attribute('namespace', 'core');
      const d = g.create_dataset({ name: 'data', data: snippets, shape: [5, 4, 8] });
      d.create_attribute('conversion', 2, null, '<d');
      g.create_dataset({ name: 'timestamps', data: Float64Array.of(0.1, 0.2, 0.25, 0.4, 0.9) });
      const odd = f.create_group('acquisition/odd');
      odd.create_attribute('neurodata_type', 'ElectricalSeries');
      odd.create_dataset({ name: 'data', data: new Float32Array(16), shape: [2, 2, 2, 2] });
    });
    const nwb = await openNwb(p);
    try {
      const all = nwb.electricalSeries();
      expect(all.map((s) => [s.path, s.kind])).toEqual([
        ['/processing/ecephys/raw', 'continuous'],
        ['/acquisition/spikes', 'events'],
        ['/acquisition/odd', 'unreadable'],
      ]);
      const spikes = all[1];
      expect(spikes.shape).toEqual([5, 4, 8]);
      expect(all[2].warnings[0]).toMatch(
        /\/acquisition\/odd\/data: expected \(time\), \(time × channels\) or \(events × channels × samples\) data/,
      );
      const s = nwb.series('spikes');
      const raw = s.readEvents({ events: [1, 3], scale: 'raw' });
      expect(raw.shape).toEqual([2, 4, 8]);
      expect(Array.from(raw.data)).toEqual(Array.from(snippets.subarray(32, 96)));
      expect(s.readEvents({ events: [0, 1] }).data[0]).toBe(-80 * 2);
      expect(Array.from(s.timestamps())).toEqual([0.1, 0.2, 0.25, 0.4, 0.9]);
      expect(() => s.read()).toThrow(ParameterError);
      expect(() => nwb.series('odd')).toThrow(NwbFormatError);
    } finally {
      nwb.close();
    }
  });
});
