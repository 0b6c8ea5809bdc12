// spyglass mua-events: the file's units (or its threshold crossings), the position step, then
// multiunit high-synchrony events gated by its speed; --out checked before any step runs.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { runCli } from './run-cli.js';

const FIXTURE = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
const dir = mkdtempSync(join(os.tmpdir(), 'spyglass-mua-cli-'));
const store = join(dir, 'store');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spyglass mua-events', () => {
  it('writes mua_times and lists each event with its speed, recording the position step', async () => {
    const out = join(dir, 'mua.nwb');
    const r = await runCli(['mua-events', FIXTURE, '--out', out, '--json', '--store', store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.step).toBe('mua-events');
    expect(body.summary).toMatchObject({ spikeSource: 'units', speedGated: true });
    expect(body.position.result).toMatch(/\S/);
    expect(body.events.length).toBe(body.summary.events);
    for (const e of body.events) {
      expect(Object.keys(e)).toEqual(['start', 'peak', 'end', 'duration', 'maxZscore', 'meanZscore', 'speed']);
      expect(e.speed).toBeLessThanOrEqual(4);
    }
    const nwb = await openNwb(out);
    try {
      expect(nwb.intervals().find((t) => t.name === 'mua_times')?.intervals.length).toBe(body.events.length);
    } finally {
      nwb.close();
    }
    const again = await runCli(['mua-events', FIXTURE, '--store', store]);
    expect(again.stdout).toMatch(/^mua-events: cached \S+\n\d+ MUA events\n$/);
  });

  it('counts threshold crossings of the raw recording with --spikes crossings (the marks step)', async () => {
    const r = await runCli(['mua-events', FIXTURE, '--spikes', 'crossings', '--no-speed', '--json', '--store', store]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.summary).toMatchObject({ spikeSource: 'crossings', speedGated: false });
    expect(body.marks.result).toMatch(/\S/);
  });

  it('refuses --out before running anything: the input itself, or an existing file without --force', async () => {
    const fresh = join(dir, 'fresh-store');
    const input = join(dir, 'input.nwb');
    copyFileSync(FIXTURE, input);
    const same = await runCli(['mua-events', input, '--out', input, '--force', '--store', fresh]);
    expect(same.code).toBe(1);
    expect(same.stderr).toMatch(/--out.*never an input/);
    const existing = join(dir, 'exists.nwb');
    writeFileSync(existing, 'keep me');
    const kept = await runCli(['mua-events', input, '--out', existing, '--store', fresh]);
    expect(kept.code).toBe(1);
    expect(kept.stderr).toMatch(/--out.*--force.*exists/);
    expect(existsSync(fresh)).toBe(false); // no store opened, no step run
  });

  it('names the option of a bad value (exit 2), and --help shows the defaults and an example', async () => {
    const spikes = await runCli(['mua-events', FIXTURE, '--spikes', 'all', '--store', store]);
    expect(spikes.code).toBe(2);
    expect(spikes.stderr).toMatch(/'--spikes'/);
    const z = await runCli(['mua-events', FIXTURE, '--zscore-threshold', '-1', '--store', store]);
    expect(z.code).toBe(2);
    expect(z.stderr).toMatch(/'--zscore-threshold'/);
    const help = (await runCli(['mua-events', '--help'])).stdout;
    expect(help).toMatch(/--zscore-threshold Z .*\(default: 2\)$/m);
    expect(help).toMatch(/--spikes units\|crossings .*\(default: units\)$/m);
    expect(help).toMatch(/spyglass mua-events session\.nwb --out mua\.nwb --json/);
    expect(help).toMatch(/smoothingSigma=0\.015/);
  });

  it('--interval NAME or --start/--stop: events only inside, a result of its own', async () => {
    const whole = JSON.parse((await runCli(['mua-events', FIXTURE, '--json', '--store', store])).stdout);
    const r = await runCli(['mua-events', FIXTURE, '--start', '5', '--stop', '15', '--json', '--store', store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(whole.result).toMatch(/\S/);
    expect(body.result).not.toBe(whole.result);
    for (const e of body.events) {
      expect(e.start).toBeGreaterThanOrEqual(5);
      expect(e.end).toBeLessThanOrEqual(15);
    }
    const run = await runCli(['mua-events', FIXTURE, '--interval', 'run', '--json', '--store', store]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).result).not.toBe(whole.result);
    // threshold crossings (a marks result): the name is looked up in the file as the session
    const crossings = await runCli([
      'mua-events',
      FIXTURE,
      '--spikes',
      'crossings',
      '--no-speed',
      '--interval',
      'run',
      '--json',
      '--store',
      store,
    ]);
    expect(crossings.stderr).toBe('');
    expect(JSON.parse(crossings.stdout).summary).toMatchObject({ spikeSource: 'crossings' });
    const unknown = await runCli(['mua-events', FIXTURE, '--interval', 'sleep9', '--store', store]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/interval.*run.*sleep9/);
    const both = await runCli(['mua-events', FIXTURE, '--interval', 'run', '--start', '1', '--store', store]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/'--interval'/);
    const help = (await runCli(['mua-events', '--help'])).stdout;
    expect(help).toMatch(/--interval NAME .*\(default: the whole session\)$/m);
    expect(help).toMatch(/--start S .*\(default: the start\)$/m);
    expect(help).toMatch(/--stop S .*\(default: the end\)$/m);
  });
});
