// The decode step writes its summaries in pieces as the decode hands them out in time order (the
// posterior never whole in memory): the same key and data as the one-buffer path (a store without
// scratch files), and the same bytes as the summaries of the whole-posterior decode, bit for bit;
// its analysis NWB series are written window by window and hold the same values.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodingError } from '@spyglass-wasm/decoding';
import { openNwb } from '@spyglass-wasm/nwb-io';
import {
  arrayPieces,
  loadResult,
  openStore,
  resolveParams,
  resultDigest,
  runStep,
  type ArrayPieces,
  type ResultData,
  type StepInput,
  type Store,
} from '@spyglass-wasm/provenance';
import { decodeStep } from '../src/index.js';
import { encodeModel, positionCm } from '../src/steps/decode.js';
import { wholeBuffers } from './store-views.js';

const FIXTURES = new URL('../../nwb-io/test/fixtures/', import.meta.url).pathname;

/** The step's result as the whole-posterior decode (`model.decode`, no chunks) gives it. */
async function wholeDecode(file: string, params: Record<string, unknown>, json: ResultData['json']) {
  const input = { kind: 'file', id: 'x', path: file, entity: { id: 'x', path: file } } as unknown as StepInput;
  const position = await positionCm(input, 'session');
  const train = json.train as [number, number],
    test = json.decode as [number, number];
  const model = await encodeModel(
    input,
    {
      position: position.cm,
      positionTimes: position.times,
      interval: train,
      environment: { binSize: params.placeBinSize as number },
      positionStd: params.positionStd as number,
    },
    params,
  );
  const r = model.decode({
    start: test[0],
    stop: test[1],
    binSize: params.binSize as number,
    movementVar: params.movementVar as number,
    stateSpace: params.stateSpace as 'continuous',
    chunkBins: 1e9,
  });
  const n = r.time.length,
    dims = r.env.dims;
  const err = (decoded: typeof r.map) =>
    decodingError(r.time, decoded, position.times, position.cm, { speed: position.speed });
  return {
    arrays: {
      time: { data: r.time, shape: [n] },
      map: { data: r.map.data, shape: [n, dims] },
      mean: { data: r.mean.data, shape: [n, dims] },
      positionPosterior: { data: Float32Array.from(r.positionPosterior.data), shape: [n, r.env.nBins] },
      statePosterior: { data: r.statePosterior.data, shape: [n, r.statePosterior.cols] },
      binCenters: { data: r.env.centers.data, shape: [r.env.nBins, dims] },
      isInterior: { data: Uint8Array.from(r.env.isInterior), shape: [r.env.nBins] },
    },
    logMarginal: r.logMarginal,
    errMap: err(r.map),
    errMean: err(r.mean),
  };
}

describe('decode written in pieces', () => {
  let dir: string;
  let pieced: Store, whole: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spyglass-decode-pieces-'));
    pieced = await openStore({ store: join(dir, 'a', '.spyglass') });
    whole = await openStore({ store: join(dir, 'b', '.spyglass') });
  });
  afterAll(async () => {
    await pieced?.close();
    await whole?.close();
  });

  for (const [label, file, params] of [
    // 180 s decoded: 45 chunks of 2000 bins, 5 windows of the analysis file's posterior
    ['linear-track-units.nwb, continuous', 'linear-track-units.nwb', {}],
    [
      'tetrode-session.nwb, continuous-fragmented, 1 ms bins',
      'tetrode-session.nwb',
      { stateSpace: 'continuous-fragmented', binSize: 0.001 },
    ],
  ] as const) {
    it(`gives the key and data of the one-buffer path and of the whole-posterior decode (${label})`, async () => {
      const path = FIXTURES + file;
      const a = await runStep(pieced, decodeStep, { units: { file: path } }, { overrides: params });
      const b = await runStep(wholeBuffers(whole), decodeStep, { units: { file: path } }, { overrides: params });
      expect(a.key).toBe(b.key);
      const da = await loadResult(pieced, a.result);
      const db = await loadResult(whole, b.result);
      expect(await resultDigest(da)).toBe(await resultDigest(db));
      const n = da.arrays.time.shape[0];
      expect(n).toBe(a.result.summary.timeBins);
      expect(Math.ceil(n / 2000)).toBeGreaterThanOrEqual(3); // chunks of the decode (2000 bins each)

      // the same bytes as the summaries of the whole posterior (positions rounded to float32 as before)
      const ref = await wholeDecode(path, resolveParams(decodeStep, undefined, params).params, da.json);
      expect(await resultDigest({ arrays: ref.arrays, json: da.json })).toBe(await resultDigest(da));
      expect(Object.is(da.json.logMarginal, ref.logMarginal)).toBe(true);
      const error = da.json.error as { map: Record<string, number>; posteriorMean: Record<string, number> };
      expect(error.map.medianRunningCm).toBe(ref.errMap.medianRunning);
      expect(error.map.meanCm).toBe(ref.errMap.mean);
      expect(error.posteriorMean.medianRunningCm).toBe(ref.errMean.medianRunning);
      expect(error.posteriorMean.nRunning).toBe(ref.errMean.nRunning);

      // the analysis file's series, written window by window, hold the same values
      const nwb = await openNwb(join(pieced.resultsDir, a.result.summary.analysisFile as string));
      try {
        const states = da.arrays.statePosterior.shape[1];
        const post = nwb.numbers('/processing/decoding/posterior/data');
        expect(Array.from(post)).toEqual(Array.from(da.arrays.positionPosterior.data));
        const map = nwb.numbers('/processing/decoding/decoded_position/data');
        expect(Array.from(map)).toEqual(Array.from(da.arrays.map.data as Float64Array, (v) => v / 100));
        const mean = nwb.numbers('/processing/decoding/posterior_mean_position/data');
        expect(Array.from(mean)).toEqual(Array.from(da.arrays.mean.data as Float64Array, (v) => v / 100));
        // the bin times, written once in windows and linked by the other series, are the result's
        const time = da.arrays.time.data as Float64Array;
        expect(time.length).toBe(n);
        const series = ['decoded_position', 'posterior_mean_position', 'posterior', 'state_probability'];
        for (const name of series.slice(0, states > 1 ? 4 : 3))
          expect(nwb.numbers(`/processing/decoding/${name}/timestamps`)).toEqual(time);
        expect(nwb.typeOf('/processing/decoding/state_probability')).toBe(states > 1 ? 'TimeSeries' : undefined);
        if (states > 1)
          expect(Array.from(nwb.numbers('/processing/decoding/state_probability/data'))).toEqual(
            Array.from(da.arrays.statePosterior.data),
          );
      } finally {
        nwb.close();
      }
    }, 600_000);
  }

  it('appends the posterior a chunk of time bins at a time, never whole', async () => {
    const path = FIXTURES + 'tetrode-session.nwb';
    const input = { kind: 'file', id: 'x', path, entity: { id: 'x', path } } as unknown as StepInput;
    const blocks: Record<number, number[]> = {};
    let opened = 0;
    const out = await decodeStep.run(
      { units: input },
      resolveParams(decodeStep, undefined, { binSize: 0.001 }).params,
      {
        // the store's side of arrayPieces, recording each appended block's rows
        async pieces(type, rowShape): Promise<ArrayPieces> {
          const p = await arrayPieces({}, type, rowShape);
          const rows = (blocks[opened++] = [] as number[]);
          const size = rowShape.reduce((a, b) => a * b, 1);
          return {
            get rows() {
              return p.rows;
            },
            append: (b) => (rows.push(b.length / size), p.append(b)),
            done: () => p.done(),
          };
        },
      },
    );
    const n = out.summary.timeBins as number;
    const names = Object.keys(out.arrays);
    expect(names.slice(0, 5)).toEqual(['time', 'map', 'mean', 'positionPosterior', 'statePosterior']);
    for (let i = 0; i < 5; i++) {
      expect(blocks[i].reduce((a, b) => a + b, 0)).toBe(n);
      expect(blocks[i].length).toBe(Math.ceil(n / 2000));
      expect(Math.max(...blocks[i])).toBe(2000);
    }
  }, 600_000);
});
