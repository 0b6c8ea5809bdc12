import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { butter } from '../src/filter/butter.js';
import vectors from './vectors/butter.json';

describe('butter (vs scipy.signal.butter, output="sos")', () => {
  it.each(
    vectors.cases.map((c) => [`N=${c.N} ${c.btype} ${JSON.stringify(c.Wn)}${c.fs ? ` fs=${c.fs}` : ''}`, c] as const),
  )('%s', (_name, c) => {
    const sos = butter(c.N, c.Wn, { btype: c.btype as never, fs: c.fs ?? undefined });
    expect(sos.length).toBe(c.sos.length);
    for (let i = 0; i < sos.length; i++) expect(Math.abs(sos[i] - c.sos[i])).toBeLessThan(1e-10);
  });

  it('rejects bad parameters with a ParameterError naming the parameter', () => {
    expect(() => butter(0, 100, { fs: 1000 })).toThrow(ParameterError);
    expect(() => butter(11, 100, { fs: 1000 })).toThrow(/'N'/);
    expect(() => butter(2.5, 100, { fs: 1000 })).toThrow(/'N'/);
    expect(() => butter(4, 600, { fs: 1000 })).toThrow(/'Wn'.*below Nyquist/);
    expect(() => butter(4, 0, {})).toThrow(/'Wn'/);
    expect(() => butter(4, [300, 200], { btype: 'bandpass', fs: 1000 })).toThrow(/low < high/);
    expect(() => butter(4, 100, { btype: 'bandpass', fs: 1000 })).toThrow(/'Wn'/);
    expect(() => butter(4, 100, { btype: 'notch' as never, fs: 1000 })).toThrow(/'btype'/);
    expect(() => butter(4, 100, { fs: -1 })).toThrow(/'fs'/);
  });
});
