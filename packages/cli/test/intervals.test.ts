// Steps on named intervals: epochs by tag, TimeIntervals tables, or --start/--stop; part of the key.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateReplayDay, writeSessionNwb } from '@spyglass-wasm/sim';
import { runCli } from './run-cli.js';

const SESSION = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
let dir: string, day: string, store: string;

beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'spyglass-intervals-'));
  store = join(dir, 'store');
  day = join(dir, 'day.nwb');
  await writeSessionNwb(simulateReplayDay({ seed: 3 }), day); // sleep1 0-60 s, run1 60-180 s, sleep2 180-240 s
});

describe('intervals', () => {
  it('info lists the epochs by the names --interval takes', async () => {
    const r = await runCli(['info', day]);
    expect(r.stdout).toMatch(/sleep1 0–60 s, run1 60–180 s, sleep2 180–240 s/);
  });
  it('lfp on --start/--stop covers only that span, under its own key; the whole session keeps its key', async () => {
    const whole = JSON.parse((await runCli(['lfp', SESSION, '--store', store, '--json'])).stdout);
    const part = JSON.parse(
      (await runCli(['lfp', SESSION, '--start', '5', '--stop', '10', '--store', store, '--json'])).stdout,
    );
    expect(part.summary.samples).toBe(5000);
    expect(part.result).not.toBe(whole.result);
    expect(JSON.parse((await runCli(['lfp', SESSION, '--store', store, '--json'])).stdout).result).toBe(whole.result);
  });
  it('decode encodes on run1 and decodes sleep2 by name', async () => {
    const r = await runCli([
      'decode',
      day,
      '--encode',
      'run1',
      '--decode',
      'sleep2',
      '--bin-size',
      '0.02',
      '--out',
      join(dir, 'dec.nwb'),
      '--store',
      store,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    const d = JSON.parse(r.stdout);
    expect(d.train).toEqual([60, 180]);
    expect(d.decode).toEqual([180, 240]);
  });
  it('an unknown interval names the ones there are; a bad span names the option', async () => {
    const r = await runCli(['decode', day, '--encode', 'run9', '--out', join(dir, 'x.nwb'), '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--encode.*sleep1, run1, sleep2|--encode.*epochs.*sleep1/);
    const bad = await runCli(['lfp', SESSION, '--start', '10', '--stop', '5', '--store', store]);
    expect(bad.stderr).toMatch(/--stop/);
  });
});

describe('spyglass replay', () => {
  it('encodes on run1 and scores events in sleep2; without raw data it asks for --events', async () => {
    const r = await runCli([
      'replay',
      day,
      '--encode',
      'run1',
      '--decode',
      'sleep2',
      '--events',
      'epochs/2',
      '--shuffles',
      '20',
      '--store',
      store,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    const d = JSON.parse(r.stdout);
    expect(d.summary.events).toBe(1);
    expect(d.events[0]).toMatchObject({ start: 180, stop: 240, direction: expect.stringMatching(/forward|reverse/) });
    const noRaw = await runCli(['replay', day, '--encode', 'run1', '--decode', 'sleep2', '--store', store]);
    expect(noRaw.code).toBe(1);
    expect(noRaw.stderr.trim().split('\n')).toHaveLength(1);
    const noEncode = await runCli(['replay', day, '--decode', 'sleep2', '--store', store]);
    expect(noEncode.stderr).toMatch(/--encode/);
  });
});

describe('spyglass run --each-epoch', () => {
  it('runs the pipeline once per epoch, the epoch as the interval of steps that take one', async () => {
    const { writeFileSync } = await import('node:fs');
    const pipeline = join(dir, 'lfp.yaml');
    writeFileSync(pipeline, 'steps:\n  - step: lfp\n    inputs: { raw: $file }\n');
    const r = await runCli(['run', pipeline, SESSION, '--each-epoch', '--store', store, '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.runs.map((x: { epoch: string }) => x.epoch)).toEqual(['run']); // the fixture's one epoch
    const whole = JSON.parse((await runCli(['lfp', SESSION, '--store', store, '--json'])).stdout);
    expect(out.runs[0].results.lfp.result).not.toBe(whole.result);
    expect(out.runs[0].results.lfp.summary.interval).toBe('run');
    const none = await runCli(['run', pipeline, day, '--each-epoch', '--enqueue', '--store', store]);
    expect(none.stderr).toMatch(/--each-epoch/);
  });
});

describe('spyglass sort --start/--stop', () => {
  it('sorts only the rows of the interval; spike times stay in the session time base', async () => {
    const r = await runCli([
      'sort',
      SESSION,
      '--start',
      '10',
      '--stop',
      '20',
      '--group',
      'tetrode0',
      '--out',
      join(dir, 'part.nwb'),
      '--store',
      store,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout);
    expect(s.units.length).toBeGreaterThan(0);
    const { openNwb } = await import('@spyglass-wasm/nwb-io');
    const nwb = await openNwb(join(dir, 'part.nwb'));
    try {
      const all = nwb.units()!.spikeTimes.flatMap((t) => Array.from(t));
      expect(Math.min(...all)).toBeGreaterThanOrEqual(10);
      expect(Math.max(...all)).toBeLessThan(20);
    } finally {
      nwb.close();
    }
  });
});
