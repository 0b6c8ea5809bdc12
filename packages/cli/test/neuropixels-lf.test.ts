// A Neuropixels LF band is sampled at 2.5 kHz: round(2500 / 1000) = 3 would leave the LFP at
// 833 Hz, below twice the 425 Hz stopband. The LFP step decimates by 2 instead (1250 Hz), so
// `spyglass lfp` and `spyglass ripples` run on such a file with their defaults; `spyglass sort`
// refuses it in one line (no spike band at 2.5 kHz) instead of returning noise units.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPublicFixtures, publicFixture } from '../../../scripts/test-fixtures.js';
import { runCli } from './run-cli.js';

const store = mkdtempSync(join(os.tmpdir(), 'spyglass-lf-store-'));
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe.skipIf(!hasPublicFixtures)("NWB GUIDE's SpikeGLX LF series (384 ch, 2.5 kHz)", () => {
  const file = publicFixture('nwbguide_sub-001_ses-1.nwb');

  it('gets an LFP at 1250 Hz with the defaults', async () => {
    const r = await runCli(['lfp', file, '--json', '--store', store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { summary } = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ fs: 1250, source: '/acquisition/ElectricalSeriesLF', channels: 384 });
  }, 120_000);

  it('runs ripples on it with the defaults (no position: --no-speed)', async () => {
    const r = await runCli(['ripples', file, '--no-speed', '--json', '--store', store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).step).toBe('ripples');
  }, 120_000);

  it('refuses to sort it: one line naming the file, the series and the rate', async () => {
    const r = await runCli(['sort', file, '--out', join(store, 'sorted.nwb'), '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /nwbguide_sub-001_ses-1\.nwb: \/acquisition\/ElectricalSeriesLF: expected a raw recording sampled at 5000 Hz or more .*2500 Hz/,
    );
  }, 120_000);
});
