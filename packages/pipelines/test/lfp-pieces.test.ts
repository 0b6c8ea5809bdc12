// The lfp step writes its series in pieces to the store (never whole in memory): the same key and
// bytes as the one-buffer path (a store without scratch files), on the bundled tetrode session and
// on a simulated session long enough for several pieces and several analysis-file windows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { loadResult, openResult, openStore, resultDigest, runStep, type Store } from '@spyglass-wasm/provenance';
import { simulateRestRunSession, writeSessionNwb } from '@spyglass-wasm/sim';
import { lfpStep } from '../src/index.js';
import { wholeBuffers } from './store-views.js';

const FIXTURE = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;

describe('lfp written in pieces', () => {
  let dir: string;
  let pieced: Store, whole: Store;
  let simulated: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spyglass-lfp-pieces-'));
    pieced = await openStore({ store: join(dir, 'a', '.spyglass') });
    whole = await openStore({ store: join(dir, 'b', '.spyglass') });
    // 65 s: 33 raw chunks of the step, 2 windows (60 000 rows each) of the analysis file
    simulated = join(dir, 'sim.nwb');
    await writeSessionNwb(
      simulateRestRunSession({ seed: 4, seconds: 65, fs: 30000, nTetrodes: 1, raw: 'stream' }),
      simulated,
    );
  }, 300_000);
  afterAll(async () => {
    await pieced?.close();
    await whole?.close();
  });

  for (const [label, file] of [
    ['tetrode-session.nwb', () => FIXTURE],
    ['a simulated 65-s session', () => simulated],
  ] as const) {
    it(`gives the key, data and analysis series of the one-buffer path (${label})`, async () => {
      const a = await runStep(pieced, lfpStep, { raw: { file: file() } });
      const b = await runStep(wholeBuffers(whole), lfpStep, { raw: { file: file() } });
      expect(a.key).toBe(b.key);
      const da = await loadResult(pieced, a.result);
      const db = await loadResult(whole, b.result);
      expect(await resultDigest(da)).toBe(await resultDigest(db));
      expect(da.arrays.data.shape).toEqual(db.arrays.data.shape);
      const [rows, cols] = da.arrays.data.shape;
      expect(a.result.summary).toMatchObject({ samples: rows, channels: cols });
      // read back in windows: the rows of the whole
      const reader = await openResult(pieced, a.result);
      for (const [s, e] of [
        [0, 1],
        [rows >> 1, Math.min(rows, (rows >> 1) + 777)],
        [rows - 3, rows],
      ])
        expect(Array.from(await reader.read('data', s, e))).toEqual(
          Array.from(da.arrays.data.data.subarray(s * cols, e * cols)),
        );
      // the analysis file's series, written window by window, holds the same samples
      const nwb = await openNwb(join(pieced.resultsDir, a.result.summary.analysisFile as string));
      try {
        const [series] = nwb.electricalSeries();
        expect(series.shape).toEqual([rows, cols]);
        const inFile = nwb.series(series.path).read({ scale: 'microvolts' }).data;
        const stored = da.arrays.data.data as Float32Array;
        let worst = 0;
        for (let i = 0; i < stored.length; i++) worst = Math.max(worst, Math.abs(inFile[i] - stored[i]));
        expect(worst).toBeLessThan(1e-3);
        expect(Array.from(nwb.series(series.path).timestamps().subarray(-3))).toEqual(
          Array.from(da.arrays.timestamps.data.subarray(-3)),
        );
      } finally {
        nwb.close();
      }
    }, 300_000);
  }
});
