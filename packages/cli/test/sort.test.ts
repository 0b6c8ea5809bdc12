import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { runCli } from './run-cli.js';

const fixture = (n: string) => fileURLToPath(new URL(`../../nwb-io/test/fixtures/${n}`, import.meta.url));
const store = mkdtempSync(join(os.tmpdir(), 'cli-sort-store-')); // the provenance store the command records into

describe('spyglass sort', () => {
  it('sorts one group into an analysis NWB file and prints a JSON summary with metrics', async () => {
    const out = join(mkdtempSync(join(os.tmpdir(), 'cli-sort-')), 'sorted.nwb');
    const r = await runCli([
      'sort',
      fixture('tetrode-session.nwb'),
      '--out',
      out,
      '--group',
      'tetrode1',
      '--json',
      '--store',
      store,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.groups).toEqual([expect.objectContaining({ name: 'tetrode1', channels: 4 })]);
    expect(s.cached).toBe(false);
    const again = await runCli([
      'sort',
      fixture('tetrode-session.nwb'),
      '--out',
      out,
      '--group',
      'tetrode1',
      '--json',
      '--store',
      store,
      '--force',
    ]);
    expect(JSON.parse(again.stdout)).toMatchObject({ cached: true, result: s.result });
    expect(s.units.length).toBeGreaterThanOrEqual(4);
    expect(s.units[0]).toEqual(
      expect.objectContaining({
        group: 'tetrode1',
        label: expect.stringMatching(/^(accept|mua|noise)$/),
        snr: expect.any(Number),
        isiViolationsRatio: expect.any(Number),
        presenceRatio: 1,
      }),
    );
    expect(s.summary.accept + s.summary.mua + s.summary.noise).toBe(s.units.length);
    const nwb = await openNwb(out);
    try {
      const u = nwb.units()!;
      expect(u.spikeTimes.length).toBe(s.units.length);
      expect(u.electrodeGroups!.every((g) => g === 'tetrode1')).toBe(true);
      expect(Object.keys(u.columns)).toEqual(
        expect.arrayContaining(['snr', 'isi_violations_ratio', 'l_ratio', 'waveform_mean', 'curation_label']),
      );
      expect(u.spikeTimes[0][0]).toBeGreaterThan(0);
    } finally {
      nwb.close();
    }
  });

  it('exits 1 with a one-line reason for an unknown group or a missing --out', async () => {
    const r = await runCli([
      'sort',
      fixture('tetrode-session.nwb'),
      '--out',
      '/tmp/x.nwb',
      '--group',
      'nope',
      '--store',
      store,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/parameter '--group': expected one of tetrode0, tetrode1/);
    expect((await runCli(['sort', fixture('tetrode-session.nwb')])).stderr).toMatch(/--out/);
  });
});
