// Pipeline files: a step-level `interval:` is the step's interval parameter, in its key only when given.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, parsePipeline, runPipeline, type Step } from '../src/index.js';

const spanStep = {
  name: 'span',
  description: 'test step: echoes the interval it ran on',
  code: { package: 'pipeline-test', packageVersion: '1', kernels: [] },
  inputs: [],
  paramSets: { default: { gain: 1 } },
  optionalParams: ['interval'],
  async run(_inputs: unknown, params: Record<string, unknown>) {
    return { arrays: {}, json: {}, summary: { interval: JSON.stringify(params.interval ?? null) } };
  },
} as unknown as Step;
const plainStep = { ...spanStep, name: 'plain', optionalParams: [] } as unknown as Step;
const STEPS = { span: spanStep, plain: plainStep };

const pipe = (step: string) => `steps:\n  - step: ${step}\n`;

describe('step-level interval in pipeline files', () => {
  it('is read beside params (a name or a list of [start, stop])', () => {
    expect(parsePipeline(`${pipe('span')}    interval: sleep2\n`, STEPS).steps[0].interval).toBe('sleep2');
    expect(parsePipeline(`${pipe('span')}    interval: [[0, 10], [20, 30]]\n`, STEPS).steps[0].interval).toEqual([
      [0, 10],
      [20, 30],
    ]);
  });
  it('is refused on a step without an interval, when malformed, or when also in params, naming the key', () => {
    expect(() => parsePipeline(`${pipe('plain')}    interval: sleep2\n`, STEPS, 'p.yaml')).toThrow(
      /p\.yaml: steps\[0\]\.interval.*plain does not/,
    );
    for (const bad of ['[[10, 5]]', '[]', "''", '[[0, 1, 2]]', '7'])
      expect(() => parsePipeline(`${pipe('span')}    interval: ${bad}\n`, STEPS), bad).toThrow(/steps\[0\]\.interval/);
    expect(() => parsePipeline(`${pipe('span')}    params: { interval: run1 }\n    interval: run1\n`, STEPS)).toThrow(
      /given once/,
    );
    expect(() => parsePipeline(`${pipe('span')}    intervals: run1\n`, STEPS)).toThrow(
      /steps\[0\]\.intervals.*id, step, params, interval, inputs/,
    );
  });
  it('is part of the key only when given, and wins over the caller overrides', async () => {
    const store = await openStore({ store: join(mkdtempSync(join(tmpdir(), 'spyglass-pipeline-')), '.spyglass') });
    try {
      const run = async (text: string, overrides?: Record<string, unknown>) =>
        (await runPipeline(store, parsePipeline(text, STEPS), ['none.nwb'], STEPS, { overrides: () => overrides }))[0]
          .results.span;
      const whole = await run(pipe('span'));
      const byName = await run(`${pipe('span')}    interval: sleep2\n`);
      expect(whole.result.summary.interval).toBe('null');
      expect(byName.result.summary.interval).toBe('"sleep2"');
      expect(byName.key).not.toBe(whole.key);
      expect((await run(pipe('span'))).key).toBe(whole.key); // whole-session key unchanged
      const epoch = await run(pipe('span'), { interval: 'run1' });
      expect(epoch.result.summary.interval).toBe('"run1"');
      const own = await run(`${pipe('span')}    interval: sleep2\n`, { interval: 'run1' });
      expect(own.key).toBe(byName.key);
    } finally {
      await store.close();
    }
  });
});
