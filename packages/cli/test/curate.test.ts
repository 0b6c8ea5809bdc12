import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { curationOptions } from '../src/commands/curate.js';
import { runCli } from './run-cli.js';

const fixture = (n: string) => fileURLToPath(new URL(`../../nwb-io/test/fixtures/${n}`, import.meta.url));
const store = mkdtempSync(join(os.tmpdir(), 'cli-curate-store-'));
const dir = mkdtempSync(join(os.tmpdir(), 'cli-curate-'));

describe('spyglass curate', () => {
  it('turns --label/--merge/--split into the curate step parameters', () => {
    expect(curationOptions({ label: '0=noise, 3=mua', merge: '2+5,7+8+9', split: '4@120', keep: 'accept' })).toEqual({
      labels: { 0: 'noise', 3: 'mua' },
      merge: [
        [2, 5],
        [7, 8, 9],
      ],
      split: [{ unit: 4, amplitudeThreshold: 120 }],
      keep: ['accept'],
    });
    expect(() => curationOptions({ label: '0:noise' })).toThrow(/--label/);
    expect(() => curationOptions({ merge: '2+x' })).toThrow(/--merge/);
    expect(() => curationOptions({ split: '4@-1' })).toThrow(/--split/);
  });

  it('curates a stored sort (two units noise, two merged), writes the curated Units, and the crate verifies', async () => {
    const sorted = await runCli([
      'sort',
      fixture('tetrode-session.nwb'),
      '--out',
      join(dir, 'sorted.nwb'),
      '--group',
      'tetrode1',
      '--json',
      '--store',
      store,
    ]);
    expect(sorted.code).toBe(0);
    const sort = JSON.parse(sorted.stdout);
    const out = join(dir, 'curated.nwb');
    const r = await runCli([
      'curate',
      sort.result.slice(7, 19),
      '--label',
      '0=noise,1=noise',
      '--merge',
      '2+3',
      '--out',
      out,
      '--json',
      '--store',
      store,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    const kept =
      sort.units.filter((u: { id: number; label: string }) => u.id > 3 && u.label !== 'noise').length +
      (sort.units[2].label !== 'noise' ? 1 : 0);
    expect(c.summary.units).toBe(kept);
    expect(c.units.map((u: { sortedUnits: number[] }) => u.sortedUnits)).toContainEqual([2, 3]);
    const nwb = await openNwb(out);
    try {
      expect(nwb.units()!.spikeTimes.length).toBe(kept);
      expect(Object.keys(nwb.units()!.columns)).toEqual(
        expect.arrayContaining(['curation_label', 'sorted_unit', 'sorted_units']),
      );
    } finally {
      nwb.close();
    }
    const again = await runCli([
      'curate',
      sort.result,
      '--label',
      '1=noise,0=noise',
      '--merge',
      '2+3',
      '--out',
      out,
      '--force',
      '--json',
      '--store',
      store,
    ]);
    expect(JSON.parse(again.stdout)).toMatchObject({ cached: true, result: c.result });
    const crate = join(dir, 'crate');
    expect((await runCli(['export', c.result, '--out', crate, '--store', store])).code).toBe(0);
    const v = await runCli(['verify', crate]);
    expect(v.stdout).toMatch(/reproduced\s+curate/);
    expect(v.code).toBe(0);
  }, 600_000);

  it('names the option of a bad unit index', async () => {
    const sorted = JSON.parse(
      (
        await runCli([
          'sort',
          fixture('tetrode-session.nwb'),
          '--out',
          join(dir, 's2.nwb'),
          '--group',
          'tetrode1',
          '--json',
          '--store',
          store,
          '--force',
        ])
      ).stdout,
    );
    const r = await runCli([
      'curate',
      sorted.result,
      '--merge',
      '0+999',
      '--out',
      join(dir, 'bad.nwb'),
      '--store',
      store,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--merge.*unit index/);
  }, 600_000);
});
