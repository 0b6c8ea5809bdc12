// LFP artifact detection against a numpy statement of Spyglass's difference and MAD detectors
// (scripts/make-artifact-vectors.py), plus removal windows, valid times, NaN and bad parameters.
import { ParameterError } from '@spyglass-wasm/core';
import { describe, expect, it } from 'vitest';
import { detectLfpArtifacts } from '../src/index.js';
import v from './vectors/lfp-artifacts.json';

const x = { data: Float64Array.from(v.x), rows: v.rows, cols: v.cols };
const close = (a: readonly (readonly [number, number])[], b: number[][]) => {
  expect(a.length).toBe(b.length);
  a.forEach(([s, e], i) => {
    expect(s).toBeCloseTo(b[i][0], 9);
    expect(e).toBeCloseTo(b[i][1], 9);
  });
};

describe('same frames and intervals as the numpy statement of Spyglass', () => {
  it.each([
    ['difference', {}],
    ['difference_ref', { referenced: true }],
    ['difference_p05', { proportionAboveAmplitude: 0.5 }],
    ['mad', { method: 'mad' as const }],
    ['mad_p05', { method: 'mad' as const, proportionAboveMad: 0.5 }],
  ] as const)('%s', (name, options) => {
    const r = detectLfpArtifacts(x, { fs: v.fs, ...options });
    expect(Array.from(r.artifactSamples)).toEqual(v[name].frames);
    close(r.artifactTimes, v[name].intervals);
  });
});

describe('valid times', () => {
  it('are the recording minus the artifact windows, in the session time base', () => {
    const r = detectLfpArtifacts(x, { fs: v.fs, startTime: 100, proportionAboveAmplitude: 0.5 });
    expect(r.artifactTimes.length).toBe(1);
    const [s, e] = r.artifactTimes[0];
    expect(r.validTimes).toEqual([
      [100, s],
      [e, 100 + (v.rows - 1) / v.fs],
    ]);
  });
  it('a gap in the timestamps ends a valid interval', () => {
    const time = Float64Array.from({ length: v.rows }, (_, i) => i / v.fs + (i >= 2000 ? 5 : 0));
    const r = detectLfpArtifacts(x, { fs: v.fs, time, proportionAboveAmplitude: 0.5 });
    expect(r.validTimes.length).toBe(3);
    expect(r.validTimes[1][1]).toBeCloseTo(1.999, 9);
    expect(r.validTimes[2][0]).toBeCloseTo(7, 9);
  });
  it('clean data: no artifacts, one valid interval; NaN samples never count as crossings', () => {
    const clean = { data: Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i / 10) * 50), rows: 500, cols: 4 };
    clean.data[40] = NaN;
    for (const method of ['difference', 'mad'] as const) {
      const r = detectLfpArtifacts(clean, { fs: 1000, method });
      expect(r.artifactTimes).toEqual([]);
      expect(r.validTimes).toEqual([[0, 0.499]]);
    }
  });
  it('one channel and a single sample work', () => {
    const one = Float64Array.from(x.data.filter((_, i) => i % v.cols === 0));
    expect(detectLfpArtifacts(one, { fs: v.fs, proportionAboveAmplitude: 1 }).artifactTimes.length).toBeGreaterThan(0);
    expect(detectLfpArtifacts(new Float64Array([1]), { fs: 1000 }).validTimes).toEqual([]); // one sample spans no time
  });
});

describe('bad parameters', () => {
  it.each([
    ['fs', { fs: 0 }],
    ['method', { fs: 1000, method: 'zscore' as never }],
    ['proportionAboveAmplitude', { fs: 1000, proportionAboveAmplitude: 2 }],
    ['amplitudeThreshold', { fs: 1000, amplitudeThreshold: -1 }],
    ['madThreshold', { fs: 1000, method: 'mad' as const, madThreshold: 0 }],
    ['removalWindowMs', { fs: 1000, removalWindowMs: -1 }],
    ['time', { fs: 1000, time: new Float64Array(3) }],
  ])('%s', (name, options) => {
    const call = () => detectLfpArtifacts(x, options);
    expect(call).toThrow(ParameterError);
    expect(call).toThrow(new RegExp(`'${name}'`));
  });
  it('non-increasing timestamps are a ParameterError on time', () => {
    const time = Float64Array.from({ length: v.rows }, (_, i) => (i === 10 ? 0 : i / 1000));
    expect(() => detectLfpArtifacts(x, { fs: 1000, time })).toThrow(/'time'/);
  });
});
