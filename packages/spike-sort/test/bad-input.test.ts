import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { simulateRecording } from '@spyglass-wasm/sim';
import { sortGroup } from '../src/index.js';

describe('bad input gets an error that says what and where', () => {
  it('a flat channel (dead or disconnected) is named', () => {
    const rec = simulateRecording({ seed: 1, seconds: 2, units: 2 });
    for (let r = 0; r < rec.rows; r++) rec.data[r * 4 + 2] = 0;
    const run = () => sortGroup({ data: rec.data, rows: rec.rows, cols: 4 }, { fs: rec.fs });
    expect(run).toThrow(ParameterError);
    expect(run).toThrow(/flat channel 2/);
  });
});
