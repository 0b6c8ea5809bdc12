import { ParameterError, checkChoice, type Matrix } from '@spyglass-wasm/core';
import type { H5 } from '../h5/h5wasm.js';
import { toNumbers, typedArrayFor } from '../h5/values.js';
import type { H5Reader } from './h5-reader.js';
import { Lru } from './lru.js';
import { type SeriesTiming, readTiming } from './timing.js';

/** What an ElectricalSeries holds, without reading its samples. */
export interface ElectricalSeriesInfo {
  path: string;
  name: string;
  neurodataType: string;
  /** [samples, channels]. */
  shape: [number, number];
  /** HDF5 element type, e.g. '<h' (int16), '<f' (float32). */
  dtype: string;
  unit: string;
  conversion: number;
  offset: number;
  channelConversion?: Float64Array;
  /** Rows of the electrodes table, one per channel, and the ids in those rows. */
  electrodeRows: number[];
  electrodeIds: number[];
  timing: SeriesTiming;
  description?: string;
  /** Chunk shape on disk (null when contiguous). */
  chunks: number[] | null;
  compression: string[];
  /** Problems that do not stop reading but must not pass silently (mismatched electrodes, bad timestamps). */
  warnings: string[];
}

/** Samples as stored: the dataset's own integer or float type. */
export type RawSamples = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** How samples come back: in volts, microvolts (float32) or as stored. */
export type SampleScale = 'volts' | 'microvolts' | 'raw';

export interface ReadOptions {
  /** [start, end) sample rows (default all). */
  rows?: readonly [number, number];
  /** Channel columns to read (default all). */
  channels?: readonly number[];
  /** Default 'volts'. */
  scale?: SampleScale;
}

/**
 * An ElectricalSeries (raw or LFP) whose samples are read on demand: a window touches only the
 * chunks that hold it, through a small LRU cache of chunks so sequential windows do not re-read.
 */
export class ElectricalSeries {
  readonly info: ElectricalSeriesInfo;
  /** Chunk reads and cache hits, for checking laziness. */
  readonly stats = { chunkReads: 0, cacheHits: 0 };
  private readonly cache: Lru<string, ArrayLike<number>>;
  private readonly dataset: H5.Dataset;

  constructor(
    private readonly r: H5Reader,
    info: ElectricalSeriesInfo,
    options: { cacheChunks?: number } = {},
  ) {
    this.info = info;
    this.dataset = r.dataset(`${info.path}/data`);
    this.cache = new Lru(options.cacheChunks ?? 64);
  }

  /** Samples (rows × channels), row-major: float32 volts or µV, or the stored values ('raw'). */
  read(options: ReadOptions & { scale: 'raw' }): Matrix<RawSamples>;
  read(options?: ReadOptions): Matrix<Float32Array>;
  read(options: ReadOptions = {}): Matrix<Float32Array> | Matrix<RawSamples> {
    const [n, cols] = this.info.shape;
    const [start, end] = options.rows ?? [0, n];
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= n && start <= end)) {
      throw new ParameterError('rows', `[start, end) within [0, ${n}]`, options.rows);
    }
    const channels = options.channels ?? Array.from({ length: cols }, (_, i) => i);
    if (channels.some((c) => !Number.isInteger(c) || c < 0 || c >= cols)) throw new ParameterError('channels', `channel indices in [0, ${cols})`, channels);
    const scale = checkChoice('scale', options.scale ?? 'volts', ['volts', 'microvolts', 'raw'] as const);
    const raw = this.window(start, end, channels);
    if (scale === 'raw') return { data: raw as RawSamples, rows: end - start, cols: channels.length };
    const k = scale === 'microvolts' ? 1e6 : 1;
    const { conversion, offset, channelConversion } = this.info;
    const out = new Float32Array(raw.length);
    const gains = channels.map((c) => conversion * (channelConversion ? channelConversion[c] : 1) * k);
    const m = channels.length;
    for (let i = 0; i < raw.length; i++) out[i] = raw[i] * gains[i % m] + offset * k;
    return { data: out, rows: end - start, cols: m };
  }

  /** Streams the series in blocks of rows, in bounded memory. */
  async *chunks(options: Omit<ReadOptions, 'rows'> & { rowsPerChunk?: number } = {}): AsyncGenerator<{ start: number; data: Matrix<Float32Array> }> {
    const n = this.info.shape[0];
    const step = options.rowsPerChunk ?? this.info.chunks?.[0] ?? 30000;
    if (!(Number.isInteger(step) && step > 0)) throw new ParameterError('rowsPerChunk', 'a positive integer', step);
    for (let start = 0; start < n; start += step) {
      const data = this.read({ ...options, scale: options.scale === 'raw' ? 'volts' : options.scale, rows: [start, Math.min(n, start + step)] });
      yield { start, data };
    }
  }

  /** Time of every sample, seconds (from rate and starting_time, or the timestamps dataset). */
  timestamps(): Float64Array {
    const t = this.info.timing;
    if (t.kind === 'timestamps') return this.r.numbers(`${this.info.path}/timestamps`);
    return Float64Array.from({ length: this.info.shape[0] }, (_, i) => t.startingTime + i / t.rate);
  }

  /** Rows [start, end) × channels, as stored, assembled from cached chunks. */
  private window(start: number, end: number, channels: readonly number[]): ArrayLike<number> & ArrayBufferView & { length: number } {
    const [, cols] = this.info.shape;
    const [cr, cc] = this.info.chunks ?? [65536, cols];
    const lo = Math.min(...channels, cols - 1), hi = Math.max(...channels, 0);
    const out = new (typedArrayFor(this.dataset.metadata))((end - start) * channels.length);
    if (end === start) return out;
    for (let rb = Math.floor(start / cr); rb * cr < end; rb++) {
      for (let cb = Math.floor(lo / cc); cb * cc <= hi; cb++) {
        if (!channels.some((c) => c >= cb * cc && c < (cb + 1) * cc)) continue;
        const block = this.blockTypedArray(rb, cb);
        const r0 = rb * cr, c0 = cb * cc;
        const bcols = Math.min(cols, c0 + cc) - c0;
        for (let r = Math.max(start, r0); r < Math.min(end, r0 + cr); r++) {
          for (let j = 0; j < channels.length; j++) {
            const c = channels[j];
            if (c >= c0 && c < c0 + cc) out[(r - start) * channels.length + j] = block[(r - r0) * bcols + (c - c0)];
          }
        }
      }
    }
    return out;
  }

  private blockTypedArray(rb: number, cb: number): ArrayLike<number> {
    const [n, cols] = this.info.shape;
    const [cr, cc] = this.info.chunks ?? [65536, cols];
    const before = this.cache.misses;
    const block = this.cache.get(`${rb},${cb}`, () => {
      try {
        const v = this.dataset.slice([[rb * cr, Math.min(n, (rb + 1) * cr)], [cb * cc, Math.min(cols, (cb + 1) * cc)]]);
        return v instanceof BigInt64Array || v instanceof BigUint64Array ? toNumbers(v) : (v as unknown as ArrayLike<number>);
      } catch (err) {
        return this.r.fail(`${this.info.path}/data`, `readable chunk rows ${rb * cr}..${(rb + 1) * cr}`, err);
      }
    });
    if (this.cache.misses > before) this.stats.chunkReads++;
    else this.stats.cacheHits++;
    return block;
  }
}

const SERIES_TYPES = new Set(['ElectricalSeries', 'SpikeEventSeries']);

/** Every ElectricalSeries in /acquisition and /processing (LFP and filtered ones included). */
export function findElectricalSeries(r: H5Reader, electrodeIds: ArrayLike<number>): ElectricalSeriesInfo[] {
  const paths = [...r.findTyped('/acquisition', SERIES_TYPES), ...r.findTyped('/processing', SERIES_TYPES)];
  return paths.map((path) => describeSeries(r, path, electrodeIds));
}

export function describeSeries(r: H5Reader, path: string, electrodeIds: ArrayLike<number>): ElectricalSeriesInfo {
  const data = r.dataset(`${path}/data`, 'the series data');
  const shape = data.shape ?? [];
  if (shape.length < 1 || shape.length > 2) r.fail(`${path}/data`, '(time) or (time × channels) data', shape);
  const rows = shape[0], cols = shape.length === 2 ? shape[1] : 1;
  const electrodeRows = r.find(`${path}/electrodes`) ? Array.from(r.numbers(`${path}/electrodes`)) : [];
  const meta = data.metadata;
  const filters = (() => {
    try {
      return data.filters.map((f) => f.name);
    } catch {
      return [];
    }
  })();
  const timing = readTiming(r, path, rows);
  const warnings: string[] = [];
  if (electrodeRows.length && electrodeRows.length !== cols) warnings.push(`${path}/electrodes: ${electrodeRows.length} electrodes for ${cols} channels`);
  if (timing.kind === 'timestamps' && timing.nonMonotonicAt !== undefined) warnings.push(`${path}/timestamps: not increasing at index ${timing.nonMonotonicAt}`);
  if (timing.kind === 'timestamps' && timing.irregularSteps > 0) warnings.push(`${path}/timestamps: ${timing.irregularSteps} steps differ from the median step by more than 1%`);
  return {
    path,
    name: path.split('/').pop()!,
    neurodataType: r.neurodataType(path) ?? 'ElectricalSeries',
    shape: [rows, cols],
    dtype: typeof data.dtype === 'string' ? data.dtype : JSON.stringify(data.dtype),
    unit: r.attrString(`${path}/data`, 'unit') ?? 'volts',
    conversion: r.attrNumber(`${path}/data`, 'conversion') ?? 1,
    offset: r.attrNumber(`${path}/data`, 'offset') ?? 0,
    channelConversion: r.find(`${path}/channel_conversion`) ? r.numbers(`${path}/channel_conversion`) : undefined,
    electrodeRows,
    electrodeIds: electrodeRows.map((i) => electrodeIds[i] ?? i),
    timing,
    warnings,
    description: r.attrString(path, 'description'),
    chunks: meta.chunks && meta.chunks.length === 2 ? meta.chunks : meta.chunks ? [meta.chunks[0], 1] : null,
    compression: filters,
  };
}
