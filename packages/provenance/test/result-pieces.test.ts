// Results written in pieces (StepContext.pieces → scratch files → writeResult) and read in windows
// (openResult): the same bytes and key as the one-buffer path, nothing under a final name when a
// write is interrupted, and the right rows from any window.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FsBlobStore,
  MemoryBlobStore,
  arrayPieces,
  encodeResult,
  hashBytes,
  loadResult,
  openResult,
  openStore,
  resultDigest,
  runStep,
  type BlobStore,
  type ResultReader,
  type Step,
  type StepContext,
} from '../src/index.js';
import { ScratchPieces } from '../src/pieces.js';
import { writeResult } from '../src/result-file.js';

const COLS = 3;
/** A (rows × COLS) float32 series and rows-long float64 times, deterministic in `seed`. */
function series(rows: number, seed: number): { data: Float32Array; t: Float64Array } {
  const data = new Float32Array(rows * COLS).map((_, i) => Math.sin(i * 0.37 + seed) * 1000 + (i % 7));
  const t = new Float64Array(rows).map((_, i) => seed + i / 1000);
  return { data, t };
}

/** A step giving that series, whole or appended in blocks of `block` rows (a parameter-free choice: same key). */
function seriesStep(block: number | 'whole'): Step {
  return {
    name: 'series',
    description: 'test step: a series, whole or in pieces',
    code: { package: 'pieces-test', packageVersion: '1', kernels: [] },
    inputs: [],
    paramSets: { default: { rows: 1001, seed: 1 } },
    optionalParams: ['failAt'],
    async run(_inputs, params, ctx: StepContext) {
      const { data, t } = series(params.rows as number, params.seed as number);
      const json = { fs: 1000, note: 'x' };
      if (block === 'whole')
        return {
          arrays: {
            data: { data, shape: [t.length, COLS] },
            flag: { data: Uint8Array.of(1, 2, 3), shape: [3] },
            timestamps: { data: t, shape: [t.length] },
          },
          json,
          summary: { rows: t.length },
        };
      const d = await arrayPieces(ctx, Float32Array, [COLS]);
      const ts = await arrayPieces(ctx, Float64Array, []);
      for (let a = 0; a < t.length; a += block) {
        const b = Math.min(t.length, a + block);
        await d.append(data.slice(a * COLS, b * COLS));
        await ts.append(t.slice(a, b));
        if (params.failAt !== undefined && a >= (params.failAt as number)) throw new Error('step failed mid-way');
      }
      return {
        arrays: { data: d.done(), flag: { data: Uint8Array.of(1, 2, 3), shape: [3] }, timestamps: ts.done() },
        json,
        summary: { rows: t.length },
      };
    },
  };
}

const tmpStore = () => join(mkdtempSync(join(tmpdir(), 'spyglass-pieces-')), '.spyglass');

describe('results written in pieces', () => {
  for (const [label, blobs] of [
    ['memory', () => new MemoryBlobStore()],
    ['folder', () => new FsBlobStore(mkdtempSync(join(tmpdir(), 'spyglass-pieces-blobs-')))],
  ] as [string, () => BlobStore][]) {
    it(`give the bytes and checksum of encodeResult (${label} store, odd lengths, blocks of 1, 7 and all rows)`, async () => {
      for (const rows of [0, 1, 1001]) {
        const { data, t } = series(rows, 2);
        const whole = {
          arrays: {
            data: { data, shape: [rows, COLS] },
            odd: { data: Int16Array.of(1, -2, 3), shape: [3] },
            timestamps: { data: t, shape: [rows] },
          },
          json: { rows },
        };
        const expected = encodeResult(whole, { key: 'k', rows });
        for (const block of [1, 7, Math.max(1, rows)]) {
          const store = blobs();
          const pieces = new ScratchPieces(store as never, `r${rows}-${block}.sgr`);
          const d = await pieces.open(Float32Array, [COLS]);
          const ts = await pieces.open(Float64Array, []);
          for (let a = 0; a < rows; a += block) {
            await d.append(data.slice(a * COLS, Math.min(rows, a + block) * COLS));
            await ts.append(t.slice(a, Math.min(rows, a + block)));
          }
          const w = await store.writer!(`r${rows}-${block}.sgr`);
          const checksum = await writeResult(
            w,
            { arrays: { data: d.done(), odd: whole.arrays.odd, timestamps: ts.done() }, json: whole.json },
            { key: 'k', rows },
          );
          await w.close();
          await pieces.discard();
          const bytes = await store.read(`r${rows}-${block}.sgr`);
          expect(Buffer.from(bytes).equals(Buffer.from(expected)), `${rows} rows in blocks of ${block}`).toBe(true);
          expect(checksum).toBe(await hashBytes(expected));
          expect(await store.list()).toEqual([`r${rows}-${block}.sgr`]); // the scratch files are gone
        }
      }
    });
  }

  it('through the runner: the same key and data as the one-buffer step, whole files only in the store', async () => {
    const store = await openStore({ store: tmpStore() });
    const other = await openStore({ store: tmpStore() });
    try {
      const pieced = await runStep(store, seriesStep(64), {});
      const whole = await runStep(other, seriesStep('whole'), {});
      expect(pieced.key).toBe(whole.key);
      const a = await loadResult(store, pieced.result);
      const b = await loadResult(other, whole.result);
      expect(await resultDigest(a)).toBe(await resultDigest(b));
      expect(Object.keys(a.arrays)).toEqual(['data', 'flag', 'timestamps']);
      expect(Buffer.from(a.arrays.data.data.buffer).equals(Buffer.from(b.arrays.data.data.buffer))).toBe(true);
      // the file's checksum is its bytes' BLAKE3, as for a file written whole
      expect(pieced.result.checksum).toBe(await hashBytes(await store.blobs.read(pieced.result.file)));
      expect(readdirSync(pieced.path.replace(/\/[^/]+$/, '')).filter((n) => n.endsWith('.partial'))).toEqual([]);
    } finally {
      await store.close();
      await other.close();
    }
  });

  it('a step failing mid-way, or an aborted writer, leave nothing under a final name and no scratch file', async () => {
    const store = await openStore({ store: tmpStore() });
    try {
      await expect(runStep(store, seriesStep(10), {}, { overrides: { failAt: 500 } })).rejects.toThrow(/mid-way/);
      expect(await store.blobs.list()).toEqual([]);
      const w = await store.blobs.writer!('half.sgr');
      await w.write(new Uint8Array(1000).fill(7));
      expect(await store.blobs.exists('half.sgr')).toBe(false); // written, not closed: a temporary name only
      expect((await store.blobs.list()).every((n) => n.startsWith('half.sgr.') && n.endsWith('.partial'))).toBe(true);
      await w.abort();
      expect(await store.blobs.list()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('results read in windows', () => {
  it('openResult gives the rows of any window, and refuses windows outside the array', async () => {
    const store = await openStore({ store: tmpStore() });
    try {
      for (const params of [
        { rows: 1001, seed: 1 },
        { rows: 333, seed: 5 },
      ]) {
        const out = await runStep(store, seriesStep(100), {}, { params });
        const { data, t } = series(params.rows, params.seed);
        const r: ResultReader = await openResult(store, out.result);
        expect(r.json).toEqual({ fs: 1000, note: 'x' });
        expect(r.arrays.data).toEqual({ dtype: '<f4', shape: [params.rows, COLS] });
        for (const [a, b] of [
          [0, 1],
          [0, params.rows],
          [17, 250],
          [params.rows - 1, params.rows],
          [5, 5],
        ]) {
          expect(Array.from(await r.read('data', a, b))).toEqual(Array.from(data.subarray(a * COLS, b * COLS)));
          expect(Array.from(await r.read('timestamps', a, b))).toEqual(Array.from(t.subarray(a, b)));
        }
        expect(Array.from(await r.read('flag'))).toEqual([1, 2, 3]);
        await expect(r.read('data', 0, params.rows + 1)).rejects.toThrow(/rows/);
        await expect(r.read('nope')).rejects.toThrow(/data, flag, timestamps/);
      }
    } finally {
      await store.close();
    }
  });

  it('a windowed input reaches its step as JSON and a reader, not as whole arrays', async () => {
    const store = await openStore({ store: tmpStore() });
    try {
      const up = await runStep(store, seriesStep(50), {});
      const seen: Record<string, unknown> = {};
      const sum: Step = {
        name: 'sum',
        description: 'test step: sums its input window by window',
        code: { package: 'pieces-test', packageVersion: '1', kernels: [] },
        inputs: ['x'],
        windowedInputs: ['x'],
        async run({ x }) {
          if (x.kind !== 'result') throw new Error('a result input');
          seen.arrays = Object.keys(x.data.arrays);
          seen.json = x.data.json;
          let s = 0;
          for (let a = 0; a < 1001; a += 100)
            for (const v of await x.reader!.read('data', a, Math.min(1001, a + 100))) s += v;
          return { arrays: {}, json: { s }, summary: {} };
        },
      };
      const out = await runStep(store, sum, { x: { result: up.key } });
      expect(seen).toEqual({ arrays: [], json: { fs: 1000, note: 'x' } });
      const expected = series(1001, 1).data.reduce((a, v) => a + v, 0);
      expect((await loadResult(store, out.result)).json.s).toBe(expected);
    } finally {
      await store.close();
    }
  });
});
