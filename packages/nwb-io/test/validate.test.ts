// Our analysis files validated against the NWB specifications cached inside them, by hdmf's
// validator (the engine behind pynwb.validate), through scripts/validate-nwb.py. Runs where
// Debian's python3-hdmf is installed (scripts/setup-system.sh installs it for CI); the structural
// checks in write.test.ts run everywhere.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPublicFixtures, publicFixture } from '../../../scripts/test-fixtures.js';
import { NwbWriter } from '../src/index.js';
import { fixture } from './fixtures.js';

const script = fileURLToPath(new URL('../scripts/validate-nwb.py', import.meta.url));
const hasHdmf = spawnSync('/usr/bin/python3', ['-c', 'import hdmf, h5py']).status === 0;
if (!hasHdmf && process.env.CI)
  throw new Error('CI needs python3-hdmf for NWB validation: run scripts/setup-system.sh');
const tmp = mkdtempSync(join(os.tmpdir(), 'nwb-io-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function validate(...files: string[]): { file: string; errors: string[] }[] {
  const r = spawnSync('/usr/bin/python3', [script, ...files], { encoding: 'utf8' });
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe.runIf(hasHdmf)('hdmf validation against the cached NWB specifications', () => {
  it.skipIf(!hasPublicFixtures)('accepts pynwb-written fixtures (the checker itself works)', () => {
    for (const r of validate(fixture('tetrode-session.nwb'), publicFixture('neuroconv_ecephys_tutorial_v2.5.0.nwb')))
      expect(r.errors).toEqual([]);
  });

  it('catches a broken file (a Units waveform_mean without its required unit)', async () => {
    const path = join(tmp, 'broken.nwb');
    const w = await NwbWriter.create(path, {
      identifier: 'b',
      sessionDescription: 'b',
      sessionStartTime: '2024-01-01T00:00:00Z',
    });
    w.addUnits({ spikeTimes: [Float64Array.of(0.1)], waveformMean: { data: new Float32Array(3), shape: [1, 3] } });
    await w.close();
    const { h5 } = await (await import('../src/h5/h5wasm.js')).loadH5wasm();
    const f = new h5.File(path, 'a');
    (f.get('/units/waveform_mean') as { delete_attribute(n: string): number }).delete_attribute('unit');
    f.close();
    expect(validate(path)[0].errors.length).toBeGreaterThan(0);
  });

  it('accepts every type our writer makes', async () => {
    const path = join(tmp, 'analysis.nwb');
    const w = await NwbWriter.create(path, {
      identifier: 'a',
      sessionDescription: 'validation',
      sessionStartTime: '2024-01-26T10:00:00+00:00',
    });
    w.addElectrodes({
      groups: [{ name: 'tetrode0', location: 'CA1' }],
      group: ['tetrode0', 'tetrode0'],
      x: [0, 1],
      y: [0, 0],
      z: [0, 0],
    });
    w.addElectricalSeries({
      name: 'lfp',
      data: { data: new Float32Array(20), rows: 10, cols: 2 },
      rate: 1000,
      electrodes: [0, 1],
    });
    w.addElectricalSeries({
      name: 'filtered',
      container: 'FilteredEphys',
      data: { data: new Float32Array(20), rows: 10, cols: 2 },
      timestamps: Float64Array.from({ length: 10 }, (_, i) => i / 1000),
      electrodes: [0, 1],
    });
    w.addUnits({
      spikeTimes: [Float64Array.of(0.1, 0.2), Float64Array.of(0.3)],
      electrodeGroups: ['tetrode0', 'tetrode0'],
      columns: { snr: { values: [5, 6] } },
      waveformMean: { data: new Float32Array(6), shape: [2, 3] },
    });
    w.addTimeIntervals({
      name: 'ripple_times',
      module: 'ripples',
      start: [1],
      stop: [1.1],
      columns: { peak_time: { values: [1.05] } },
    });
    w.addTimeSeries({
      name: 'decoded_position',
      module: 'decoding',
      container: 'Position',
      unit: 'meters',
      data: { data: Float64Array.of(0.1, 0.2), rows: 2, cols: 1 },
      timestamps: Float64Array.of(0, 0.002),
      spatial: { referenceFrame: 'track start' },
    });
    w.addTimeSeries({
      name: 'posterior',
      module: 'decoding',
      unit: 'probability',
      data: { data: new Float32Array(4), rows: 2, cols: 2 },
      timestamps: Float64Array.of(0, 0.002),
    });
    // timestamps written in windows, and a series linking to them (as pynwb's timestamps=<series>)
    const windowed = w.addTimeSeries({
      name: 'posterior_mean_position',
      module: 'decoding',
      unit: 'meters',
      data: { data: Float64Array.of(0.1), rows: 1, cols: 1 },
      timestamps: Float64Array.of(0),
      timestampsInWindows: true,
      spatial: { referenceFrame: 'posterior mean' },
    });
    windowed.append({ data: Float64Array.of(0.2), rows: 1, cols: 1 }, Float64Array.of(0.002));
    w.addTimeSeries({
      name: 'state_probability',
      module: 'decoding',
      unit: 'probability',
      data: { data: Float64Array.of(1, 1), rows: 2, cols: 1 },
      timestampsOf: '/processing/decoding/posterior_mean_position',
    });
    w.addTable({ name: 'bins', module: 'decoding', columns: { center: { values: [0.01, 0.03] } } });
    w.setProvenance({ step: 'validation' });
    await w.close();
    const [r] = validate(path);
    expect(r.errors).toEqual([]);
  });
});

describe('validator availability', () => {
  it('is reported', () => {
    const version = hasHdmf
      ? execFileSync('/usr/bin/python3', ['-c', 'import hdmf; print(hdmf.__version__)'], { encoding: 'utf8' }).trim()
      : 'absent';
    expect(typeof version).toBe('string');
  });
});
