// Every step's identity and parameter sets, as the provenance engine keys them.
import { describe, expect, it } from 'vitest';
import { parsePipeline, resolveParams, resultKey, stepVersion } from '@spyglass-wasm/provenance';
import { STEPS, decodeStep, lfpBandStep, lfpStep, ripplesStep, sortStep } from '../src/index.js';

const parts = { step: 'lfp', paramsHash: 'blake3:11', inputs: { raw: 'file:blake3:22' } };

describe('step keys', () => {
  it('change with the code that computes them, even at the same package version', async () => {
    // Every step carries the build-time source hashes of the packages it runs.
    for (const step of Object.values(STEPS)) {
      const v = await stepVersion(step.code);
      expect(Object.keys(v.source ?? {}), step.name).toEqual(
        expect.arrayContaining([
          step.code.package,
          '@spyglass-wasm/provenance',
          '@spyglass-wasm/pipelines',
          '@spyglass-wasm/nwb-io',
        ]),
      );
      for (const h of Object.values(v.source!)) expect(h).toMatch(/^[0-9a-f]{64}$/);
      const edited = { ...step.code, sources: { ...step.code.sources, [step.code.package]: '0'.repeat(64) } };
      const a = await resultKey({ ...parts, version: v });
      const b = await resultKey({ ...parts, version: await stepVersion(edited) });
      expect(a, step.name).not.toBe(b);
      expect(await resultKey({ ...parts, version: await stepVersion(step.code) })).toBe(a);
    }
  });
});

describe('parameter sets', () => {
  it('carry Spyglass defaults, each step its own', () => {
    expect(resolveParams(lfpStep).params).toMatchObject({ targetFs: 1000, passband: 400 });
    expect(resolveParams(lfpBandStep, 'theta').params).toMatchObject({ band: [5, 11] });
    expect(resolveParams(ripplesStep).params).toMatchObject({ detector: 'kay', band: [150, 250] });
    expect(resolveParams(ripplesStep, 'karlsson').params).toMatchObject({ detector: 'karlsson', zscoreThreshold: 3 });
    expect(resolveParams(sortStep).params).toMatchObject({ band: [600, 6000], threshold: 4 });
    expect(resolveParams(decodeStep, 'clusterless').params).toMatchObject({ mode: 'clusterless', waveformStd: 24 });
    expect(() => resolveParams(ripplesStep, 'nope')).toThrow(/ripples parameter set.*kay/);
    for (const step of Object.values(STEPS)) expect(step.paramSets?.default, step.name).toBeDefined();
  });
});

describe('parameters are checked before any work', () => {
  it('an unknown name is an error naming it and the names there are', () => {
    expect(() => resolveParams(lfpStep, { passbnad: 400 })).toThrow(/lfp parameter 'passbnad'.*passband/);
    expect(() => resolveParams(ripplesStep, 'kay', { speedSmoothing: 0.2 })).toThrow(
      /ripples parameter 'speedSmoothing'/,
    );
    expect(resolveParams(lfpStep, { interval: 'run1' }).params.interval).toBe('run1');
  });
  it('a pipeline file with a misspelt key is refused', () => {
    expect(() =>
      parsePipeline('steps:\n  - step: lfp\n    param: default\n    inputs: { raw: $file }\n', STEPS),
    ).toThrow(/steps\[0\]\.param.*id, step, params, interval, inputs/);
    expect(() => parsePipeline('stepz: []\nsteps:\n  - step: lfp\n    inputs: { raw: $file }\n', STEPS)).toThrow(
      /stepz/,
    );
  });
  it('values that would exhaust memory or run silently wrong are refused, naming the parameter', async () => {
    const check = (step: typeof lfpStep, o: Record<string, unknown>) => () =>
      step.validate!(resolveParams(step, 'default', o).params);
    expect(check(lfpStep, { attenuation: 100000 })).toThrow(/'attenuation'/);
    expect(check(lfpStep, { attenuation: -20 })).toThrow(/'attenuation'/);
    expect(check(ripplesStep, { transition: 1e-6 })).toThrow(/'transition'/);
    expect(check(ripplesStep, { smoothingSigma: 0 })).toThrow(/'smoothingSigma'/);
    const { belowNyquist } = await import('../src/steps/bounds.js');
    expect(() => belowNyquist([150, 600], 1000)).toThrow(/'band'.*Nyquist/);
    expect(belowNyquist([150, 250], 1000)).toEqual([150, 250]);
  });
});
