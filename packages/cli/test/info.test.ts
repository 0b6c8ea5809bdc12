import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasPublicFixtures, publicFixture } from '../../../scripts/test-fixtures.js';
import { runCli } from './run-cli.js';

const fixture = (n: string) => fileURLToPath(new URL(`../../nwb-io/test/fixtures/${n}`, import.meta.url));

describe('spyglass info', () => {
  it('describes the tetrode session as JSON', async () => {
    const r = await runCli(['info', fixture('tetrode-session.nwb'), '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.session.nwbVersion).toBe('2.6.0');
    expect(d.electrodes).toEqual({ count: 8, groups: ['tetrode0', 'tetrode1'] });
    expect(d.electricalSeries[0]).toMatchObject({
      path: '/acquisition/e-series',
      shape: [900000, 8],
      rate: 30000,
      unit: 'volts',
    });
    expect(d.units).toEqual({ count: 10, spikes: 829 });
    expect(d.position[0]).toMatchObject({ samples: 900, dims: 2, unit: 'meters' });
    expect(d.intervals).toEqual([
      { path: '/intervals/epochs', count: 1, names: [{ name: 'run', start: 0, stop: 30 }] },
    ]);
  });

  it.skipIf(!hasPublicFixtures)('prints a readable summary', async () => {
    const r = await runCli(['info', publicFixture('neuroconv_ecephys_tutorial_v2.5.0.nwb')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/series\s+\/acquisition\/ElectricalSeries\s+50 × 4 <d volts\s+20000 Hz/);
    expect(r.stdout).toMatch(/units\s+10 \(195 spikes\)/);
    // neuroconv's tutorial file gives 12 electrodes to a 4-channel series: said, not hidden
    expect(r.stdout).toMatch(/warning\s+\/acquisition\/ElectricalSeries\/electrodes: 12 electrodes for 4 channels/);
  });

  it.skipIf(!hasPublicFixtures)('the LFP step refuses that series in one line, before filtering', async () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'cli-info-'));
    const file = publicFixture('neuroconv_ecephys_tutorial_v2.5.0.nwb');
    const r = await runCli(['lfp', file, '--out', join(dir, 'lfp.nwb'), '--store', join(dir, 'store')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^spyglass lfp: \S*neuroconv_ecephys_tutorial_v2\.5\.0\.nwb: \/acquisition\/ElectricalSeries\/electrodes: expected one electrodes-table row per channel \(4\), got 12$/,
      ),
    ]);
    expect(existsSync(join(dir, 'lfp.nwb'))).toBe(false);
  });

  it('exits 1 with a one-line reason on a bad file', async () => {
    const bad = join(mkdtempSync(join(os.tmpdir(), 'cli-info-')), 'bad.nwb');
    writeFileSync(bad, 'not hdf5');
    const r = await runCli(['info', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^spyglass info: .*bad\.nwb: \/: expected an HDF5 file/);
    expect((await runCli(['info'])).code).toBe(2);
  });
});
