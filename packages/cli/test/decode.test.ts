import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { runCli } from './run-cli.js';

const FIXTURE = fileURLToPath(new URL('../../nwb-io/test/fixtures/linear-track-units.nwb', import.meta.url));
const dir = mkdtempSync(join(os.tmpdir(), 'spyglass-decode-'));
const store = mkdtempSync(join(os.tmpdir(), 'spyglass-decode-store-')); // the provenance store the command records into
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(store, { recursive: true, force: true });
});

describe('spyglass decode', () => {
  it('decodes the last 20 % of the linear track and writes decoded_position + posterior', async () => {
    const out = join(dir, 'decoded.nwb');
    // 10 ms bins keep the test quick; the 2 ms default is exercised in the bench.
    const r = await runCli(['decode', FIXTURE, '--out', out, '--json', '--bin-size', '0.01', '--store', store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.mode).toBe('sorted');
    expect(body.cached).toBe(false);
    expect(body.decode[0]).toBeCloseTo(720, 0);
    expect(body.dims).toBe(1); // the track's constant y column is dropped
    expect(body.error.map.medianRunningCm).toBeLessThanOrEqual(3);
    expect(body.error.map.meanRunningCm).toBeGreaterThan(0);
    expect(body.error.posteriorMean.medianCm).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual(['decoded.nwb']); // no temporary left behind

    const f = await openNwb(out);
    try {
      const decoded = f.position().find((s) => s.name === 'decoded_position')!;
      expect(decoded.unit).toBe('meters');
      expect(decoded.data.rows).toBe(body.nTime);
      expect(Math.max(...decoded.data.data)).toBeLessThanOrEqual(2.05);
      expect(f.typeOf('/processing/decoding/posterior')).toBe('TimeSeries');
      const bins = f.table('/processing/decoding/position_bins');
      expect(bins.colnames).toContain('center_x');
    } finally {
      f.close();
    }
    // hdmf's validator against the specifications cached in the file (where Debian's python3-hdmf is installed).
    const script = fileURLToPath(new URL('../../nwb-io/scripts/validate-nwb.py', import.meta.url));
    if (spawnSync('/usr/bin/python3', ['-c', 'import hdmf, h5py']).status === 0) {
      const v = spawnSync('/usr/bin/python3', [script, out], { encoding: 'utf8' });
      expect(JSON.parse(v.stdout.trim()).errors).toEqual([]);
    }
  });

  it('records into the store: the same decode again is reused', async () => {
    const r = await runCli([
      'decode',
      FIXTURE,
      '--out',
      join(dir, 'again.nwb'),
      '--json',
      '--bin-size',
      '0.01',
      '--store',
      store,
    ]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.cached).toBe(true);
    expect(body.result).toMatch(/^blake3:/);
    rmSync(join(dir, 'again.nwb'));
  });

  it('rejects bad options with a one-line reason, as usage errors (exit 2)', async () => {
    const noOut = await runCli(['decode', FIXTURE, '--json']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out/);
    const frac = await runCli(['decode', FIXTURE, '--out', join(dir, 'x.nwb'), '--train-fraction', '1.5']);
    expect(frac.code).toBe(2);
    expect(frac.stderr).toMatch(/train-fraction/);
    const mode = await runCli(['decode', FIXTURE, '--out', join(dir, 'x.nwb'), '--mode', 'bayes']);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toMatch(/mode/);
  });
});

describe('spyglass decode --mode clusterless', () => {
  it('decodes from marks detected in the raw ElectricalSeries (no sorting), through the store', async () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'cli-decode-clusterless-'));
    const file = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
    const args = [
      'decode',
      file,
      '--mode',
      'clusterless',
      '--out',
      join(dir, 'decoded.nwb'),
      '--store',
      join(dir, 'store'),
      '--json',
    ];
    const r = await runCli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.mode).toBe('clusterless');
    expect(d.cached).toBe(false);
    expect(d.units).toBe(2); // two tetrodes' marks
    expect(Number.isFinite(d.error.map.medianCm)).toBe(true);
    const again = JSON.parse((await runCli([...args, '--force'])).stdout);
    expect(again.cached).toBe(true);
    expect(again.result).toBe(d.result);
  });
});
