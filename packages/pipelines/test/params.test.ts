// One parameter schema per step (issue #14 item 9): names, types, bounds and defaults from one
// valibot schema; a wrong type, an out-of-bounds value and an unknown name are each a one-line
// ParameterError naming the parameter, before any input is read. Default parameters are the
// ones whole-session keys hashed before the schemas, so those keys are unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { openStore, resolveParams, runStep, type Step, type Store } from '@spyglass-wasm/provenance';
import { STEPS } from '../src/index.js';

let store: Store;
beforeAll(async () => {
  store = await openStore({ store: 'memory://' });
});
afterAll(() => store?.close());

// inputs that do not exist: validation must fail before anything is read
const inputsOf = (step: Step) => Object.fromEntries(step.inputs.map((r) => [r, { file: '/nonexistent/session.nwb' }]));

/** Per step: a wrong type, an out-of-bounds value (parameter, value). */
const CASES: Record<string, { badType: [string, unknown]; outOfBounds: [string, unknown] }> = {
  lfp: { badType: ['attenuation', '120'], outOfBounds: ['attenuation', 100000] },
  'lfp-band': { badType: ['band', 'theta'], outOfBounds: ['transition', 1e-6] },
  position: { badType: ['upsample', 'yes'], outOfBounds: ['speedSmoothingStd', 0] },
  ripples: { badType: ['detector', 'kai'], outOfBounds: ['zscoreThreshold', 0] },
  sort: { badType: ['group', ''], outOfBounds: ['threshold', 1e-300] },
  'sort learnSpikes': { badType: ['learnSpikes', '6000'], outOfBounds: ['learnSpikes', 99] },
  'sort learnSpikes (an integer)': { badType: ['learnSpikes', null], outOfBounds: ['learnSpikes', 6000.5] },
  marks: { badType: ['band', [600]], outOfBounds: ['threshold', 1000] },
  linearize: { badType: ['nodes', 'a track'], outOfBounds: ['edges', [[0, -1]]] },
  decode: { badType: ['stateSpace', 'fragmented'], outOfBounds: ['trainFraction', 1] },
  replay: { badType: ['shuffles', '500'], outOfBounds: ['shuffles', 10.5] },
};

describe('parameter schemas', () => {
  for (const [name, c] of Object.entries(CASES)) {
    const step = STEPS[name.split(' ')[0]];
    it(`${name}: a wrong type, an out-of-bounds value and an unknown name name the parameter`, async () => {
      expect(step.validate).toBeTypeOf('function');
      for (const [param, value] of [c.badType, c.outOfBounds]) {
        const err = await runStep(store, step, inputsOf(step), { overrides: { [param]: value } }).catch(
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ParameterError);
        expect((err as ParameterError).parameter).toBe(param);
        expect((err as Error).message).toMatch(new RegExp(`^parameter '${param}': expected .+, got .+$`));
      }
      const unknown = await runStep(store, step, inputsOf(step), { params: { passbnad: 400 } }).catch(
        (e: unknown) => e,
      );
      expect(unknown).toBeInstanceOf(ParameterError);
      expect((unknown as Error).message).toMatch(/'passbnad'/);
      // every named set passes its own schema
      for (const set of Object.keys(step.paramSets!))
        expect(() => step.validate!(resolveParams(step, set).params)).not.toThrow();
    });
  }

  it('default sets are the parameters whole-session keys hashed before the schemas', () => {
    const defaults = (n: string, set = 'default') => resolveParams(STEPS[n], set).params;
    expect(defaults('lfp')).toEqual({ targetFs: 1000, passband: 400, stopband: 425, attenuation: 120 });
    expect(defaults('lfp-band', 'ripple')).toEqual({ band: [150, 250], transition: 25, attenuation: 60 });
    const ripples = {
      detector: 'kay',
      band: [150, 250],
      transition: 25,
      zscoreThreshold: 2,
      minimumDuration: 0.015,
      smoothingSigma: 0.004,
      speedThreshold: 4,
      speedRule: 'endpoints',
      speedWindow: 1,
      closeEventThreshold: 0,
    };
    expect(defaults('ripples')).toEqual(ripples);
    expect(defaults('ripples', 'karlsson')).toEqual({ ...ripples, detector: 'karlsson', zscoreThreshold: 3 });
    expect(defaults('sort')).toEqual({ band: [600, 6000], threshold: 4, group: null, series: null });
    const decode = {
      mode: 'sorted',
      trainFraction: 0.8,
      binSize: 0.002,
      stateSpace: 'continuous',
      movementVar: 6,
      placeBinSize: 2,
      positionStd: 6,
    };
    expect(defaults('decode')).toEqual(decode);
    expect(defaults('decode', 'clusterless')).toEqual({
      ...decode,
      mode: 'clusterless',
      waveformStd: 24,
      markThreshold: 5,
    });
    expect(defaults('replay')).toEqual({
      ...decode,
      stateSpace: 'continuous-fragmented',
      encode: null,
      decode: null,
      events: null,
      shuffles: 500,
      alpha: 0.05,
      minContinuous: 0.5,
      minDuration: 0.02,
    });
    expect(defaults('linearize')).toEqual({});
  });
});
