import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { simulateRestRunSession, writeSessionNwb } from '@spyglass-wasm/sim';

const tmp = mkdtempSync(join(os.tmpdir(), 'sim-stream-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// 2.5 s at 4 kHz: three one-second chunks, the last partial
const options = {
  seed: 9,
  seconds: 2.5,
  fs: 4000,
  nTetrodes: 2,
  unitsPerTetrode: 3,
  restSeconds: [1, 1] as [number, number],
};

describe("simulateRestRunSession({ raw: 'stream' })", () => {
  const whole = simulateRestRunSession(options);
  const streamed = simulateRestRunSession({ ...options, raw: 'stream' });

  it('gives a stream whose chunks, in any size, equal the recording sample for sample', () => {
    const stream = streamed.recordingStream!;
    expect(streamed.recording).toBeUndefined();
    expect(stream).toMatchObject({ rows: 10000, channels: 8, fs: 4000, startTime: 0 });
    for (const size of [4000, 777]) {
      const joined = new Float32Array(stream.rows * stream.channels);
      let at = 0;
      for (const c of stream.chunks(size)) (joined.set(c.data, at * c.channels), (at += c.rows));
      expect(at).toBe(stream.rows);
      expect(joined).toEqual(whole.recording!.data);
    }
    expect(stream.read(1234, 10).data).toEqual(whole.recording!.data.subarray(1234 * 8, 1244 * 8));
    expect(() => stream.read(9995, 10)).toThrow(ParameterError);
  });

  it('keeps the truth and position of the in-memory session', () => {
    expect(streamed.truth).toEqual(whole.truth);
    expect(streamed.position).toEqual(whole.position);
  });

  it('writes the same NWB datasets as the in-memory session', async () => {
    const a = join(tmp, 'whole.nwb'),
      b = join(tmp, 'streamed.nwb');
    await writeSessionNwb(whole, a);
    await writeSessionNwb(streamed, b);
    const [fa, fb] = [await openNwb(a), await openNwb(b)];
    try {
      const [ra, rb] = [fa.electricalSeries()[0], fb.electricalSeries()[0]];
      expect(rb).toEqual(ra);
      expect(rb).toMatchObject({ dtype: '<h', shape: [10000, 8] });
      expect(fb.series('e-series').read({ scale: 'raw' }).data).toEqual(
        fa.series('e-series').read({ scale: 'raw' }).data,
      );
      expect(fb.position()).toEqual(fa.position());
      expect(fb.units()).toEqual(fa.units());
      expect(fb.intervals()).toEqual(fa.intervals());
    } finally {
      fa.close();
      fb.close();
    }
  });

  it('refuses an unknown raw mode', () => {
    expect(() => simulateRestRunSession({ ...options, raw: 'disk' as never })).toThrow(ParameterError);
  });
});
