import { checkNumber, type Matrix } from '@spyglass-wasm/core';
import { whiten } from '@spyglass-wasm/dsp-wasm';
import { detectPeaks, type Peak } from '../detect/detect-peaks.js';
import { matchTemplates } from '../match/match-templates.js';
import { autoMerge } from '../curation/auto-merge.js';
import { learnTemplates, type LearnedTemplates } from '../sort/learn-templates.js';
import {
  BELOW_RANGE,
  checkLearnSpikes,
  detectionGeometry,
  probeMerge,
  type GroupSorting,
  type SortGroupOptions,
} from '../sort/sort-group.js';
import { frontEnd, noiseLevels, sortingBandpass } from '../front-end/front-end.js';
import { SortingAccumulator } from '../sort/sorting-accumulator.js';

/** A group's recording read a window at a time (µV, time × channels). */
export interface RecordingSource {
  rows: number;
  fs: number;
  read(start: number, end: number): Matrix<Float32Array>;
}

export interface SortStreamOptions extends Omit<SortGroupOptions, 'fs' | 'filtered'> {
  /** Rows filtered and matched at a time, in seconds (default 10). */
  chunkSeconds?: number;
  /** Seconds of data, in chunks spread evenly over the recording, the units are learned from (default 120). */
  learnSeconds?: number;
  /** Called with the fraction done (0..1). */
  onProgress?: (fraction: number) => void;
}

/**
 * Sorts a recording of any length in bounded memory: templates are learned (noise levels,
 * whitening, clustering) from `learnSeconds` of chunks spread over the whole recording, then every
 * chunk is filtered (with a margin either side, so chunk edges are filtered as the whole would
 * be), matched against the templates and dropped; what is kept per spike is its time, unit and
 * PCA features. Memory holds the learning data (and the learning chunks' samples, kept until they
 * are matched, so no chunk is read twice) plus one chunk, whatever the duration.
 *
 * @example
 * const sorting = sortStream({ rows, fs, read: (a, b) => series.read({ rows: [a, b], channels, scale: 'microvolts' })
 * });
 */
export function sortStream(source: RecordingSource, options: SortStreamOptions = {}): GroupSorting {
  const steps = streamSteps(source, options);
  let step = steps.next();
  while (!step.done) step = steps.next(source.read(step.value.start, step.value.end));
  return step.value;
}

/** A recording read a window at a time, whose reads may be asynchronous (from a worker, a file). */
export interface AsyncRecordingSource {
  rows: number;
  fs: number;
  read(start: number, end: number): Matrix<Float32Array> | Promise<Matrix<Float32Array>>;
}

/** sortStream over a source whose reads are asynchronous: the same work, awaiting each window. */
export async function sortStreamAsync(
  source: AsyncRecordingSource,
  options: SortStreamOptions = {},
  reads: StreamReads = 'hold',
): Promise<GroupSorting> {
  const steps = streamSteps(source, options, reads);
  let step = steps.next();
  while (!step.done) step = steps.next(await source.read(step.value.start, step.value.end));
  return step.value;
}

/** A window of rows [start, end) the stream needs next. */
export interface ReadRequest {
  start: number;
  end: number;
}

/**
 * What the stream does with its learning chunks' samples: `hold` them until they are matched (no
 * chunk read twice), or `reread` them then (memory holds one chunk while matching; the reads are
 * `streamReadOrder`'s, the same for every group of the same length and options).
 */
export type StreamReads = 'hold' | 'reread';

/** The rows the stream reads for each chunk: the chunk, matching's margins and the filter's pad. */
function chunkReads(rows: number, fs: number, options: SortStreamOptions) {
  const { chunk, chunks, picks } = streamChunks(rows, fs, options);
  const pad = Math.round(0.1 * fs); // the filter's response has died out by then
  const { before, after } = detectionGeometry(fs, options);
  // matching's margins, which give the matcher whole spikes at the chunk edges
  const margin = before + after + 8;
  const chunkEnd = (c: number) => Math.min(rows, (c + 1) * chunk);
  /** Rows read for chunk c: its own, `margin` more either side and the filter's pad, within the recording. */
  const readOf = (c: number): ReadRequest => ({
    start: Math.max(0, c * chunk - pad - margin),
    end: Math.min(rows, chunkEnd(c) + pad + margin),
  });
  return { chunk, chunks, picks, pad, margin, chunkEnd, readOf };
}

/**
 * The reads of a stream that rereads its learning chunks (`'reread'`), in order: the learning
 * chunks' (`learning` of them), then every chunk's. Groups sorted side by side on one recording
 * make the same reads, so one read of the recording can serve them all (sortProbe).
 */
export function streamReadOrder(
  rows: number,
  fs: number,
  options: SortStreamOptions,
): { reads: ReadRequest[]; learning: number } {
  const { chunks, picks, readOf } = chunkReads(rows, fs, options);
  return { reads: [...picks, ...Array.from({ length: chunks }, (_, c) => c)].map(readOf), learning: picks.length };
}

/** sortStream's work as a generator: it yields the windows it reads and is given their samples. */
function* streamSteps(
  source: { rows: number; fs: number },
  options: SortStreamOptions,
  reads: StreamReads = 'hold',
): Generator<ReadRequest, GroupSorting, Matrix<Float32Array>> {
  const fs = checkNumber('fs', source.fs, { min: 0, exclusiveMin: true });
  checkLearnSpikes(options.learnSpikes);
  const { chunk, chunks, picks, pad, margin, chunkEnd, readOf } = chunkReads(source.rows, fs, options);
  const sos = sortingBandpass(fs, { band: options.band });
  const { after, sweep, threshold } = detectionGeometry(fs, options);
  /**
   * Filtered rows [start, end) with `extra` rows each side where the recording has them, from `raw`
   * (rows from `rawStart`), which holds them and the filter's pad: the pad's rows alone are filtered.
   */
  function filtered(raw: Matrix<Float32Array>, rawStart: number, start: number, end: number, extra: number) {
    const a = Math.max(0, start - pad - extra),
      b = Math.min(source.rows, end + pad + extra);
    const input = {
      data: raw.data.subarray((a - rawStart) * raw.cols, (b - rawStart) * raw.cols),
      rows: b - a,
      cols: raw.cols,
    };
    const y = frontEnd(input, fs, { ...options, filtered: false, sos });
    const from = Math.max(0, start - extra) - a,
      to = Math.min(source.rows, end + extra) - a;
    return { x: { data: y.data.slice(from * y.cols, to * y.cols), rows: to - from, cols: y.cols }, offset: a + from };
  }

  // 1. Learn from chunks spread evenly over the recording (picks).
  // A learning chunk is read with matching's margins and its samples kept until it is matched, so
  // no chunk is read twice (a recording no longer than learnSeconds is read once).
  const read = new Map<number, Matrix<Float32Array>>();
  const parts: Matrix<Float32Array>[] = [];
  for (const c of picks) {
    const raw: Matrix<Float32Array> = yield readOf(c);
    if (reads === 'hold') read.set(c, raw);
    parts.push(filtered(raw, readOf(c).start, c * chunk, chunkEnd(c), 0).x);
  }
  // learned in a function of its own: the learning data is freed before the chunks are matched
  const { learned, noise, white } = learnFromParts(
    parts,
    picks.map((_, i) => i * chunk),
    fs,
    options,
  );
  options.onProgress?.(0.1);

  // 2. Match every chunk.
  const totalRows = source.rows;
  const { neighbours } = options;
  const result = new SortingAccumulator(learned, { noise, after, totalRows, seed: options.seed ?? 1, neighbours });
  for (let c = 0; c < chunks; c++) {
    const start = c * chunk,
      end = chunkEnd(c);
    const raw: Matrix<Float32Array> = read.get(c) ?? (yield readOf(c));
    read.delete(c);
    const { x, offset } = filtered(raw, readOf(c).start, start, end, margin);
    const wc = white ? whiten(x, white).y : x;
    const matches = matchTemplates(x, wc, learned.templates, {
      noise,
      threshold,
      sweep,
      neighbours,
      belowRange: BELOW_RANGE,
      report: [start - offset, end - offset],
    });
    result.add(x, wc, matches, { offset, core: [start - offset, end - offset] });
    options.onProgress?.(c + 1 === chunks ? 1 : 0.1 + (0.9 * (c + 1)) / chunks);
  }
  return options.autoMerge === false
    ? result.result()
    : autoMerge(result.result(), {
        fs,
        duration: source.rows / fs,
        ...probeMerge(learned.templates.channels),
        neighbours,
      }).sorting;
}

/** sortStream's chunks: rows per chunk, how many, and those it learns from (spread evenly over the recording). */
function streamChunks(
  rows: number,
  fs: number,
  options: Pick<SortStreamOptions, 'chunkSeconds' | 'learnSeconds'>,
): { chunk: number; chunks: number; picks: number[] } {
  const chunk = Math.round(fs * checkNumber('chunkSeconds', options.chunkSeconds ?? 10, { min: 0.5 }));
  const learnChunks = Math.max(
    1,
    Math.round(checkNumber('learnSeconds', options.learnSeconds ?? 120, { min: 1 }) / (chunk / fs)),
  );
  const chunks = Math.ceil(rows / chunk);
  const picks = [
    ...new Set(
      Array.from({ length: Math.min(learnChunks, chunks) }, (_, i) =>
        Math.floor(((i + 0.5) * chunks) / Math.min(learnChunks, chunks)),
      ),
    ),
  ];
  return { chunk, chunks, picks };
}

/**
 * Whether sortStream learns from every chunk of a recording of `rows` rows: then it reads every
 * row, once, before it learns (and reads nothing after), as a whole read would.
 */
export function learnsEveryChunk(
  rows: number,
  fs: number,
  options: Pick<SortStreamOptions, 'chunkSeconds' | 'learnSeconds'>,
): boolean {
  const { chunks, picks } = streamChunks(rows, fs, options);
  return picks.length === chunks;
}

/**
 * Noise levels, whitening and templates from the learning chunks (joined, then freed); `junctions`
 * are where one chunk ends and the next begins in the joined data.
 */
function learnFromParts(
  parts: Matrix<Float32Array>[],
  junctions: number[],
  fs: number,
  options: SortStreamOptions,
): { learned: LearnedTemplates; noise: Float64Array; white?: { W: Float64Array; mean: Float64Array } } {
  const { before, after, sweep, threshold } = detectionGeometry(fs, options);
  const cols = parts[0].cols;
  const learnData = new Float32Array(parts.reduce((n, p) => n + p.data.length, 0));
  parts.reduce((at, p) => (learnData.set(p.data, at), at + p.data.length), 0);
  const learn = { data: learnData, rows: learnData.length / cols, cols };
  parts.length = 0;
  const noise = noiseLevels(learn);
  const white = options.whiten === false ? undefined : whiten(learn);
  const w = white ? white.y : learn;
  // Detections within a snippet of a junction between two learning chunks would see both: skip them.
  const { neighbours } = options;
  const peaks = detectPeaks(learn, { noise, threshold, sweep, margin: after + 2, neighbours }).filter(
    (p: Peak) => !junctions.some((j) => j > 0 && p.sample > j - after - 2 && p.sample < j + before + 2),
  );
  const learned = learnTemplates(learn, w, peaks, {
    fs,
    before,
    after,
    components: options.components ?? 8,
    seed: options.seed ?? 1,
    noiseClass: !!white,
    noise,
    threshold,
    sweep,
    neighbours,
    learnSpikes: options.learnSpikes,
  });
  return { learned, noise, white: white && { W: white.W, mean: white.mean } };
}
