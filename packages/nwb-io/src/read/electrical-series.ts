import { ParameterError, SpyglassError, checkChoice, type Matrix } from '@spyglass-wasm/core';
import type { H5Reader, NumericArray } from './h5-reader.js';
import { Lru } from './lru.js';
import { type SeriesTiming, asNumber, describeValue, readTiming } from './timing.js';

/**
 * What a listed series is: 'continuous' (time × channels), 'events' (events × channels ×
 * samples, e.g. SpikeEventSeries), or 'unreadable' (listed with the reason, never read).
 */
type SeriesKind = 'continuous' | 'events' | 'unreadable';

/** What an ElectricalSeries holds, without reading its samples. */
export interface ElectricalSeriesInfo {
  path: string;
  name: string;
  neurodataType: string;
  kind: SeriesKind;
  /** [samples, channels], or [events, channels, samples] for an events series ([0, 0] when unreadable). */
  shape: [number, number] | [number, number, number];
  /** HDF5 element type, e.g. '<h' (int16), '<f' (float32). */
  dtype: string;
  unit: string;
  conversion: number;
  offset: number;
  channelConversion?: Float64Array;
  /** Rows of the electrodes table, one per channel, and the ids in those rows (NaN for a row past the table). */
  electrodeRows: number[];
  electrodeIds: number[];
  timing: SeriesTiming;
  description?: string;
  /** Chunk shape on disk (null when contiguous). */
  chunks: number[] | null;
  compression: string[];
  /**
   * Problems that must not pass silently (mismatched or invalid electrodes, bad timestamps, bad conversion, why it is
   * unreadable).
   */
  warnings: string[];
  /** Why the series cannot be read at all (kind 'unreadable'): what was expected at `unreadableAt`. */
  unreadable?: string;
  unreadableAt?: string;
  /** Why samples cannot be scaled to volts (a NaN, 0 or string conversion): 'raw' reads still work. */
  unscalable?: string;
  /** Why sample times cannot be computed (a NaN starting time, a rate of 1e300 or ≤ 0). */
  untimed?: string;
}

/** Samples as stored: the dataset's own integer or float type. */
export type RawSamples =
  Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** How samples come back: in volts, microvolts (float32) or as stored. */
export type SampleScale = 'volts' | 'microvolts' | 'raw';

export interface ReadOptions {
  /** [start, end) sample rows (default all). */
  rows?: readonly [number, number];
  /** Channel columns to read (default all). */
  channels?: readonly number[];
  /** Default 'volts'. */
  scale?: SampleScale;
  /**
   * Scaled reads: a Float32Array of at least rows × channels values to write into (the result's
   * data is a view of it), so a caller that reads window after window allocates nothing.
   */
  out?: Float32Array;
}

/** Snippets of an events series: `data` is events × channels × samples, row-major. */
export interface EventSnippets<T> {
  data: T;
  shape: [number, number, number];
}

/** More channels than any probe has: a corrupt shape, not a recording. */
const MAX_CHANNELS = 1 << 20;

/**
 * An ElectricalSeries (raw or LFP) whose samples are read on demand: a window touches only the
 * chunks that hold it, through a small LRU cache of chunks (64 chunks, 64 MiB at most) so
 * sequential windows decompress each chunk once.
 * Events series (SpikeEventSeries) are read by event with `readEvents`.
 */
export class ElectricalSeries {
  readonly info: ElectricalSeriesInfo;
  /** Chunk reads and cache hits, for checking laziness. */
  readonly stats = { chunkReads: 0, cacheHits: 0 };
  private readonly cache: Lru<string, NumericArray>;
  private readonly dataPath: string;

  constructor(
    private readonly r: H5Reader,
    info: ElectricalSeriesInfo,
    options: { cacheChunks?: number; cacheBytes?: number } = {},
  ) {
    if (info.kind === 'unreadable') r.fail(info.unreadableAt ?? info.path, info.unreadable ?? 'a readable series');
    this.info = info;
    this.dataPath = `${info.path}/data`;
    // by count and by bytes: 64 one-second chunks of 128 channels would hold 490 MB
    this.cache = new Lru(options.cacheChunks ?? 64, {
      max: options.cacheBytes ?? 64 * 2 ** 20,
      of: (chunk) => chunk.byteLength,
    });
  }

  /** Samples (rows × channels), row-major: float32 volts or µV, or the stored values ('raw'). */
  read(options: ReadOptions & { scale: 'raw' }): Matrix<RawSamples>;
  read(options?: ReadOptions): Matrix<Float32Array>;
  read(options: ReadOptions = {}): Matrix<Float32Array> | Matrix<RawSamples> {
    if (this.info.kind !== 'continuous')
      throw new ParameterError(
        'series',
        'a (time × channels) series for read(); this one is events × channels × samples: use readEvents()',
        this.info.path,
      );
    const [n, cols] = this.info.shape;
    const [start, end] = options.rows ?? [0, n];
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= n && start <= end)) {
      throw new ParameterError('rows', `[start, end) within [0, ${n}]`, options.rows);
    }
    const channels = options.channels ?? Array.from({ length: cols }, (_, i) => i);
    if (channels.some((c) => !Number.isInteger(c) || c < 0 || c >= cols))
      throw new ParameterError('channels', `channel indices in [0, ${cols})`, channels);
    const scale = checkChoice('scale', options.scale ?? 'volts', ['volts', 'microvolts', 'raw'] as const);
    if (scale !== 'raw') this.checkScalable();
    const total = (end - start) * channels.length;
    if (total > 2 ** 30)
      throw new ParameterError('rows', 'a window of at most 2^30 samples (read in chunks)', [start, end]);
    const shape = { rows: end - start, cols: channels.length };
    if (scale === 'raw') {
      const raw = this.r.guard(this.dataPath, () => this.window(start, end, channels));
      return { data: raw as RawSamples, ...shape };
    }
    const out = options.out;
    if (out !== undefined && !(out instanceof Float32Array && out.length >= total))
      throw new ParameterError('out', `a Float32Array of at least ${total} values`, out);
    const data = out ? out.subarray(0, total) : new Float32Array(total);
    this.r.guard(this.dataPath, () => this.scaledWindow(start, end, channels, scale, data));
    return { data, ...shape };
  }

  /** Snippets of events [start, end) of an events series (SpikeEventSeries), all channels and samples. */
  readEvents(options: { events?: readonly [number, number]; scale: 'raw' }): EventSnippets<RawSamples>;
  readEvents(options?: { events?: readonly [number, number]; scale?: SampleScale }): EventSnippets<Float32Array>;
  readEvents(
    options: { events?: readonly [number, number]; scale?: SampleScale } = {},
  ): EventSnippets<Float32Array> | EventSnippets<RawSamples> {
    if (this.info.kind !== 'events')
      throw new ParameterError(
        'series',
        'an events series for readEvents(); this one is (time × channels): use read()',
        this.info.path,
      );
    const [n, channels, samples] = this.info.shape as [number, number, number];
    const [start, end] = options.events ?? [0, n];
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= n && start <= end)) {
      throw new ParameterError('events', `[start, end) within [0, ${n}]`, options.events);
    }
    const scale = checkChoice('scale', options.scale ?? 'volts', ['volts', 'microvolts', 'raw'] as const);
    if (scale !== 'raw') this.checkScalable();
    const raw = this.r.guard(this.dataPath, () => {
      const rank = this.r.metadata(this.dataPath).shape?.length ?? 0;
      const ranges: [number, number][] =
        rank === 3
          ? [
              [start, end],
              [0, channels],
              [0, samples],
            ]
          : [
              [start, end],
              [0, samples],
            ];
      return this.r.readNumeric(this.dataPath, ranges);
    });
    const shape: [number, number, number] = [end - start, channels, samples];
    if (scale === 'raw') return { data: raw as RawSamples, shape };
    // Channels vary slowest within an event: gain per element is that of its channel.
    const perChannel = Array.from({ length: samples * channels }, (_, i) => Math.floor(i / samples));
    const out = this.scaled(raw, perChannel, scale);
    return { data: out, shape };
  }

  /** Streams the series in blocks of rows, in bounded memory. */
  async *chunks(
    options: Omit<ReadOptions, 'rows'> & { rowsPerChunk?: number } = {},
  ): AsyncGenerator<{ start: number; data: Matrix<Float32Array> }> {
    const n = this.info.shape[0];
    const step = options.rowsPerChunk ?? this.info.chunks?.[0] ?? 30000;
    if (!(Number.isInteger(step) && step > 0)) throw new ParameterError('rowsPerChunk', 'a positive integer', step);
    for (let start = 0; start < n; start += step) {
      const data = this.read({
        ...options,
        scale: options.scale === 'raw' ? 'volts' : options.scale,
        rows: [start, Math.min(n, start + step)],
      });
      yield { start, data };
    }
  }

  /** Time of every sample (or event), seconds (from rate and starting_time, or the timestamps dataset). */
  timestamps(): Float64Array {
    if (this.info.untimed) this.r.fail(this.info.path, `sample times that can be computed (${this.info.untimed})`);
    const t = this.info.timing;
    if (t.kind === 'timestamps')
      return this.r.guard(`${this.info.path}/timestamps`, () => this.r.numbers(`${this.info.path}/timestamps`));
    return Float64Array.from({ length: this.info.shape[0] }, (_, i) => t.startingTime + i / t.rate);
  }

  private checkScalable(): void {
    if (this.info.unscalable)
      this.r.fail(
        this.dataPath,
        `samples that can be scaled to volts (${this.info.unscalable}; read with scale: 'raw' for the stored values)`,
      );
  }

  private scaled(raw: ArrayLike<number>, channelOf: readonly number[], scale: 'volts' | 'microvolts'): Float32Array {
    const k = scale === 'microvolts' ? 1e6 : 1;
    const { conversion, offset, channelConversion } = this.info;
    const out = new Float32Array(raw.length);
    const gains = Float64Array.from(channelOf, (c) => conversion * (channelConversion ? channelConversion[c] : 1) * k);
    const m = channelOf.length,
      shift = offset * k;
    // row by row, no `i % m` per sample
    for (let i = 0; i < raw.length; i += m) for (let j = 0; j < m; j++) out[i + j] = raw[i + j] * gains[j] + shift;
    return out;
  }

  /** Rows [start, end) × channels, as stored, assembled from cached chunks. */
  private window(start: number, end: number, channels: readonly number[]): NumericArray {
    const m = channels.length;
    let out: NumericArray | undefined;
    this.eachBlock(start, end, channels, (b) => {
      out ??= new (b.block.constructor as new (n: number) => NumericArray)((end - start) * m);
      if (b.wholeRows) {
        out.set(b.block.subarray((b.ra - b.r0) * m, (b.rz - b.r0) * m), (b.ra - start) * m);
        return;
      }
      for (let r = b.ra; r < b.rz; r++)
        for (let j = 0; j < m; j++) {
          const c = channels[j] - b.c0;
          if (c >= 0 && c < b.bcols) out[(r - start) * m + j] = b.block[(r - b.r0) * b.bcols + c];
        }
    });
    return out ?? new Float64Array(0);
  }

  /**
   * Like window() then scaled(), in one pass from the cached chunks into `out` (no window of
   * stored values in between): what a viewer redrawing windows spends its read time on.
   */
  private scaledWindow(
    start: number,
    end: number,
    channels: readonly number[],
    scale: 'volts' | 'microvolts',
    out: Float32Array,
  ): void {
    const k = scale === 'microvolts' ? 1e6 : 1;
    const { conversion, offset, channelConversion } = this.info;
    const gains = Float64Array.from(channels, (c) => conversion * (channelConversion ? channelConversion[c] : 1) * k);
    const shift = offset * k,
      m = channels.length;
    this.eachBlock(start, end, channels, (b) => {
      const { block } = b;
      if (b.wholeRows) {
        for (let r = b.ra, i = (b.ra - b.r0) * m, o = (b.ra - start) * m; r < b.rz; r++, i += m, o += m)
          for (let j = 0; j < m; j++) out[o + j] = block[i + j] * gains[j] + shift;
        return;
      }
      for (let r = b.ra; r < b.rz; r++)
        for (let j = 0; j < m; j++) {
          const c = channels[j] - b.c0;
          if (c >= 0 && c < b.bcols) out[(r - start) * m + j] = block[(r - b.r0) * b.bcols + c] * gains[j] + shift;
        }
    });
  }

  /**
   * Calls `visit` for each cached chunk holding part of rows [start, end) × channels: its rows
   * r0…, its first column c0 and width, the window's rows inside it [ra, rz), and whether the
   * window's channels are exactly its columns in order (whole rows can be copied at once).
   */
  private eachBlock(
    start: number,
    end: number,
    channels: readonly number[],
    visit: (b: {
      block: NumericArray;
      r0: number;
      c0: number;
      bcols: number;
      ra: number;
      rz: number;
      wholeRows: boolean;
    }) => void,
  ): void {
    const [, cols] = this.info.shape;
    const [cr, cc] = this.chunkShape();
    const lo = Math.min(...channels, cols - 1),
      hi = Math.max(...channels, 0);
    for (let rb = Math.floor(start / cr); rb * cr < end; rb++) {
      for (let cb = Math.floor(lo / cc); cb * cc <= hi; cb++) {
        if (!channels.some((c) => c >= cb * cc && c < (cb + 1) * cc)) continue;
        const r0 = rb * cr,
          c0 = cb * cc;
        const bcols = Math.min(cols, c0 + cc) - c0;
        visit({
          block: this.block(rb, cb),
          r0,
          c0,
          bcols,
          ra: Math.max(start, r0),
          rz: Math.min(end, r0 + cr),
          wholeRows: runs(channels, c0, bcols),
        });
      }
    }
  }

  private chunkShape(): [number, number] {
    const [, cols] = this.info.shape;
    const [cr, cc] = this.info.chunks ?? [65536, cols];
    return [Math.max(1, cr), Math.max(1, cc ?? cols)];
  }

  private block(rb: number, cb: number): NumericArray {
    const [n, cols] = this.info.shape;
    const [cr, cc] = this.chunkShape();
    const before = this.cache.misses;
    const block = this.cache.get(`${rb},${cb}`, () => {
      const rows: [number, number] = [rb * cr, Math.min(n, (rb + 1) * cr)];
      const rank = this.r.metadata(this.dataPath).shape?.length ?? 0;
      return this.r.readNumeric(this.dataPath, rank === 1 ? [rows] : [rows, [cb * cc, Math.min(cols, (cb + 1) * cc)]]);
    });
    if (this.cache.misses > before) this.stats.chunkReads++;
    else this.stats.cacheHits++;
    return block;
  }
}

/** Whether `channels` is c0, c0 + 1, …, c0 + n - 1. */
function runs(channels: readonly number[], c0: number, n: number): boolean {
  if (channels.length !== n) return false;
  for (let j = 0; j < n; j++) if (channels[j] !== c0 + j) return false;
  return true;
}

const SERIES_TYPES = new Set(['ElectricalSeries', 'SpikeEventSeries']);
const EVENT_TYPES = new Set(['SpikeEventSeries']);
const ORDER: Record<SeriesKind, number> = { continuous: 0, events: 1, unreadable: 2 };

/**
 * Every ElectricalSeries in /acquisition and /processing (LFP and filtered ones included), then
 * every events series (SpikeEventSeries), then the ones that cannot be read, each with why: one
 * odd series never makes the listing fail.
 */
export function findElectricalSeries(
  r: H5Reader,
  electrodeIds: ArrayLike<number>,
  electrodesKnown: boolean,
): ElectricalSeriesInfo[] {
  const paths = [...r.findTyped('/acquisition', SERIES_TYPES), ...r.findTyped('/processing', SERIES_TYPES)];
  const all = paths.map((path) => describeSeries(r, path, electrodeIds, electrodesKnown));
  return all
    .map((s, i) => [s, i] as const)
    .sort((a, b) => ORDER[a[0].kind] - ORDER[b[0].kind] || a[1] - b[1])
    .map(([s]) => s);
}

/** Describes one series; whatever makes it unreadable is caught and listed as its warning. */
function describeSeries(
  r: H5Reader,
  path: string,
  electrodeIds: ArrayLike<number>,
  electrodesKnown = true,
): ElectricalSeriesInfo {
  try {
    return r.guard(path, () => describeReadable(r, path, electrodeIds, electrodesKnown));
  } catch (err) {
    const typed = err instanceof SpyglassError && err.expected !== undefined;
    return unreadableSeries(
      r,
      path,
      typed ? err.expected! : err instanceof Error ? err.message : String(err),
      typed ? (err.path ?? path) : path,
    );
  }
}

function unreadableSeries(r: H5Reader, path: string, reason: string, at: string): ElectricalSeriesInfo {
  let neurodataType = 'ElectricalSeries';
  try {
    neurodataType = r.guard(path, () => r.neurodataType(path)) ?? neurodataType;
  } catch {
    // the type attribute itself may be what is broken
  }
  return {
    path,
    name: path.split('/').pop()!,
    neurodataType,
    kind: 'unreadable',
    shape: [0, 0],
    dtype: '',
    unit: '',
    conversion: NaN,
    offset: NaN,
    electrodeRows: [],
    electrodeIds: [],
    timing: { kind: 'rate', rate: 0, startingTime: 0, start: 0, end: 0 },
    chunks: null,
    compression: [],
    warnings: [`${path}: unreadable: ${at}: expected ${reason}`],
    unreadable: reason,
    unreadableAt: at,
  };
}

function describeReadable(
  r: H5Reader,
  path: string,
  electrodeIds: ArrayLike<number>,
  electrodesKnown: boolean,
): ElectricalSeriesInfo {
  const dataPath = `${path}/data`;
  const data = r.dataset(dataPath, 'the series data');
  const meta = r.metadata(dataPath, data);
  const neurodataType = r.neurodataType(path) ?? 'ElectricalSeries';
  const dims = meta.shape ?? [];
  const events = EVENT_TYPES.has(neurodataType) || dims.length === 3;
  if (dims.length < 1 || dims.length > 3 || (!events && dims.length === 3))
    r.fail(dataPath, '(time), (time × channels) or (events × channels × samples) data', dims);
  const shape: ElectricalSeriesInfo['shape'] = events
    ? dims.length === 3
      ? [dims[0], dims[1], dims[2]]
      : [dims[0], 1, dims[1] ?? 1]
    : [dims[0], dims.length === 2 ? dims[1] : 1];
  const channels = shape[1];
  if (channels > MAX_CHANNELS) r.fail(dataPath, `at most ${MAX_CHANNELS} channels`, channels);
  const storage = r.storageProblem(dataPath, data);
  if (storage) r.fail(dataPath, storage);
  // External raw storage shows only when read: one element, under the guard, tells.
  if (!meta.chunks && dims.every((d) => d > 0))
    r.readNumeric(
      dataPath,
      dims.map(() => [0, 1] as [number, number]),
    );
  const warnings: string[] = [];
  const { electrodeRows, ids } = readElectrodeRows(r, path, electrodeIds, electrodesKnown, warnings);
  if (electrodeRows.length && electrodeRows.length !== channels)
    warnings.push(`${path}/electrodes: ${electrodeRows.length} electrodes for ${channels} channels`);
  const { timing, problem: untimed } = readTiming(r, path, shape[0]);
  if (untimed) warnings.push(untimed);
  if (timing.kind === 'timestamps' && timing.nonMonotonicAt !== undefined)
    warnings.push(`${path}/timestamps: not increasing at index ${timing.nonMonotonicAt}`);
  if (timing.kind === 'timestamps' && timing.irregularSteps > 0 && !events)
    warnings.push(`${path}/timestamps: ${timing.irregularSteps} steps differ from the median step by more than 1%`);
  const scaling = readScaling(r, path, channels);
  if (scaling.problem) warnings.push(scaling.problem);
  return {
    path,
    name: path.split('/').pop()!,
    neurodataType,
    kind: events ? 'events' : 'continuous',
    shape,
    dtype: typeof data.dtype === 'string' ? data.dtype : JSON.stringify(data.dtype),
    unit: r.attrString(dataPath, 'unit') ?? 'volts',
    conversion: scaling.conversion,
    offset: scaling.offset,
    channelConversion: scaling.channelConversion,
    electrodeRows,
    electrodeIds: ids,
    timing,
    warnings,
    description: r.attrString(path, 'description'),
    chunks: events
      ? (meta.chunks ?? null)
      : meta.chunks && meta.chunks.length === 2
        ? meta.chunks
        : meta.chunks
          ? [meta.chunks[0], 1]
          : null,
    compression: r.filters(dataPath, data).map((f) => f.name),
    ...(scaling.problem ? { unscalable: scaling.problem } : {}),
    ...(untimed ? { untimed } : {}),
  };
}

/** Electrode rows; a row that is not an integer inside the electrodes table is warned about and gets id NaN. */
function readElectrodeRows(
  r: H5Reader,
  path: string,
  electrodeIds: ArrayLike<number>,
  electrodesKnown: boolean,
  warnings: string[],
): { electrodeRows: number[]; ids: number[] } {
  if (!r.find(`${path}/electrodes`)) return { electrodeRows: [], ids: [] };
  const electrodeRows = Array.from(r.numbers(`${path}/electrodes`));
  const bad = electrodeRows.findIndex(
    (i) => !Number.isInteger(i) || i < 0 || (electrodesKnown && i >= electrodeIds.length),
  );
  if (bad >= 0) {
    const where = electrodesKnown
      ? `the electrodes table (${electrodeIds.length} rows)`
      : 'the electrodes table (the file has none)';
    warnings.push(`${path}/electrodes: row ${electrodeRows[bad]} at index ${bad} is not a row of ${where}`);
  }
  const ids = electrodeRows.map((i) =>
    Number.isInteger(i) && i >= 0 && i < electrodeIds.length ? electrodeIds[i] : electrodesKnown ? NaN : i,
  );
  return { electrodeRows, ids };
}

/** conversion, offset and channel_conversion, and why they cannot scale samples (NaN, 0, a string). */
function readScaling(
  r: H5Reader,
  path: string,
  channels: number,
): { conversion: number; offset: number; channelConversion?: Float64Array; problem?: string } {
  const dataPath = `${path}/data`;
  const conversionValue = r.attr(dataPath, 'conversion');
  const offsetValue = r.attr(dataPath, 'offset');
  const conversion = conversionValue === undefined ? 1 : asNumber(conversionValue);
  const offset = offsetValue === undefined ? 0 : asNumber(offsetValue);
  const channelConversion = r.find(`${path}/channel_conversion`) ? r.numbers(`${path}/channel_conversion`) : undefined;
  let problem: string | undefined;
  if (!(Number.isFinite(conversion) && conversion !== 0))
    problem = `${dataPath}@conversion: ${describeValue(conversionValue)} is not a finite, non-zero gain`;
  else if (!Number.isFinite(offset))
    problem = `${dataPath}@offset: ${describeValue(offsetValue)} is not a finite offset`;
  else if (channelConversion) {
    const bad = channelConversion.findIndex((g) => !(Number.isFinite(g) && g !== 0));
    if (channelConversion.length !== channels)
      problem = `${path}/channel_conversion: ${channelConversion.length} gains for ${channels} channels`;
    else if (bad >= 0)
      problem = `${path}/channel_conversion: ${channelConversion[bad]} at channel ${bad} is not a finite, non-zero gain`;
  }
  return { conversion, offset, channelConversion, problem };
}
