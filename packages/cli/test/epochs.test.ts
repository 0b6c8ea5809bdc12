// Pipeline files on part of a day (issue #17): a step-level `interval:` (beside params:) is the step's interval
// parameter, in its key only when given; `--each-epoch` gives the epoch to the steps without their own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateReplayDay, writeSessionNwb } from '@spyglass-wasm/sim';
import { runCli } from './run-cli.js';

let dir: string, day: string, store: string;
// the track of simulateReplayDay in room cm (as pipelines' step-intervals test)
const TRACK = '{ nodes: [[0, 120], [300, 120]], edges: [[0, 1]] }';

/** The pipeline with `interval` on position, lfp-band, marks and linearize (or none: the whole session). */
function pipeline(interval: (step: string) => string | undefined): string {
  const at = (step: string) => (interval(step) ? `    interval: ${interval(step)}\n` : '');
  return [
    'steps:',
    `  - step: position\n${at('position')}    inputs: { session: $file }`,
    '  - step: lfp\n    inputs: { raw: $file }',
    `  - id: theta\n    step: lfp-band\n${at('lfp-band')}    inputs: { lfp: lfp, session: $file }`,
    `  - step: marks\n${at('marks')}    inputs: { raw: $file }`,
    `  - step: linearize\n    params: ${TRACK}\n${at('linearize')}    inputs: { session: $file, position: position }`,
  ].join('\n');
}

type Run = { epoch?: string; results: Record<string, { result: string; summary: Record<string, unknown> }> };

async function run(file: string, ...extra: string[]): Promise<Run[]> {
  const r = await runCli(['run', file, day, '--store', store, '--json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).runs;
}

/** The parameters a result was computed with, as the store recorded them. */
async function paramsOf(key: string): Promise<Record<string, unknown>> {
  return JSON.parse((await runCli(['show', key, '--store', store, '--json'])).stdout).activity.params;
}

beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'spyglass-epochs-'));
  store = join(dir, 'store');
  day = join(dir, 'day.nwb');
  // a short sleep/run/sleep day with a raw recording throughout (marks, LFP)
  const epochs = [
    { name: 'sleep1', kind: 'sleep', seconds: 10 },
    { name: 'run1', kind: 'run', seconds: 20 },
    { name: 'sleep2', kind: 'sleep', seconds: 10 },
  ] as const;
  await writeSessionNwb(
    simulateReplayDay({ seed: 5, epochs: [...epochs], raw: { start: 0, seconds: 40, fs: 20000 } }),
    day,
  );
  writeFileSync(
    join(dir, 'whole.yaml'),
    pipeline(() => undefined),
  );
  writeFileSync(
    join(dir, 'run1.yaml'),
    pipeline((s) => (s === 'marks' ? '[[12, 28]]' : 'run1')),
  );
}, 600_000);

describe('spyglass run: interval: in pipeline files', () => {
  it('position, lfp-band, marks and linearize run on their interval, under keys that carry it', async () => {
    const [whole] = await run(join(dir, 'whole.yaml'));
    const [part] = await run(join(dir, 'run1.yaml'));
    for (const id of ['position', 'theta', 'marks', 'linearize']) {
      expect(part.results[id].result, id).not.toBe(whole.results[id].result);
      expect((await paramsOf(whole.results[id].result)).interval, id).toBeUndefined();
      expect((await paramsOf(part.results[id].result)).interval, id).toEqual(id === 'marks' ? [[12, 28]] : 'run1');
    }
    // lfp has no interval: key: the same whole-session result in both runs
    expect(part.results.lfp.result).toBe(whole.results.lfp.result);
    // the results differ: fewer samples, fewer spikes
    const n = (r: Run, id: string, k: string) => r.results[id].summary[k] as number;
    expect(n(part, 'position', 'samples')).toBeLessThan(n(whole, 'position', 'samples'));
    expect(n(part, 'position', 'samples')).toBeGreaterThan(0);
    expect(n(part, 'marks', 'spikes')).toBeLessThan(n(whole, 'marks', 'spikes'));
    expect(n(part, 'marks', 'spikes')).toBeGreaterThan(0);
    expect(part.results.theta.summary).not.toEqual(whole.results.theta.summary);
    expect(part.results.linearize.summary).not.toEqual(whole.results.linearize.summary);
    // again: every result reused, the same keys (whole-session keys unchanged)
    const [again] = await run(join(dir, 'whole.yaml'));
    for (const id of Object.keys(whole.results)) expect(again.results[id].result).toBe(whole.results[id].result);
  }, 900_000);

  it('--each-epoch gives each epoch to every step that takes an interval; not with interval: keys', async () => {
    const runs = await run(join(dir, 'whole.yaml'), '--each-epoch');
    expect(runs.map((r) => r.epoch)).toEqual(['sleep1', 'run1', 'sleep2']);
    for (const id of ['lfp', 'position', 'theta', 'marks', 'linearize']) {
      expect(new Set(runs.map((r) => r.results[id].result)).size, id).toBe(3); // one result per epoch
      for (const r of runs) expect((await paramsOf(r.results[id].result)).interval, id).toBe(r.epoch);
    }
    const both = await runCli(['run', join(dir, 'run1.yaml'), day, '--each-epoch', '--store', store]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--each-epoch.*step-level interval: keys.*position, theta, marks, linearize/);
  }, 900_000);

  it('an interval: on a step that takes none, or a malformed one, is an error naming the key', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'steps:\n  - step: lfp\n    inputs: { raw: $file }\n  - step: ripples\n    interval: run1\n    inputs: { lfp: lfp }\n',
    );
    let r = await runCli(['run', join(dir, 'bad.yaml'), day, '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/steps\[1\]\.interval.*ripples does not/);
    writeFileSync(
      join(dir, 'bad2.yaml'),
      'steps:\n  - step: marks\n    interval: [[30, 20]]\n    inputs: { raw: $file }\n',
    );
    r = await runCli(['run', join(dir, 'bad2.yaml'), day, '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/steps\[0\]\.interval/);
  });
});
