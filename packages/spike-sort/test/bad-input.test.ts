import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NwbFormatError, ParameterError } from '@spyglass-wasm/core';
import { simulateRecording } from '@spyglass-wasm/sim';
import { sortGroup, sortNwb } from '../src/index.js';

const fixture = (n: string) => fileURLToPath(new URL(`../../nwb-io/test/fixtures/${n}`, import.meta.url));

describe('bad input gets an error that says what and where', () => {
  it('a flat channel (dead or disconnected) is named', () => {
    const rec = simulateRecording({ seed: 1, seconds: 2, units: 2 });
    for (let r = 0; r < rec.rows; r++) rec.data[r * 4 + 2] = 0;
    const run = () => sortGroup({ data: rec.data, rows: rec.rows, cols: 4 }, { fs: rec.fs });
    expect(run).toThrow(ParameterError);
    expect(run).toThrow(/flat channel 2/);
  });
  it('a series too short to sort names the file and the series', async () => {
    // neuroconv's tutorial file: 50 samples at 20 kHz.
    const file = fixture('public/neuroconv_ecephys_tutorial_v2.5.0.nwb');
    const err = await sortNwb(file).catch((e) => e);
    expect(err).toBeInstanceOf(NwbFormatError);
    expect(err.message).toMatch(/neuroconv_ecephys_tutorial_v2\.5\.0\.nwb: \/acquisition\/ElectricalSeries: expected at least 1 s of samples to sort \(50 at 20000 Hz\)/);
  });
  it('an unknown group lists the groups there are', async () => {
    const err = await sortNwb(fixture('tetrode-session.nwb'), { group: 'tetrode9' }).catch((e) => e);
    expect(err).toBeInstanceOf(ParameterError);
    expect(err.message).toMatch(/tetrode0, tetrode1/);
  });
});
