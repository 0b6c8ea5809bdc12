import { checkNumber, Comlink, ParameterError, type Matrix, type WorkerPool } from '@spyglass-wasm/core';
import { neighboursWithin } from '../detect/detect-peaks.js';
import type { GroupSorting } from '../sort/sort-group.js';
import {
  learnsEveryChunk,
  streamReadOrder,
  type AsyncRecordingSource,
  type ReadRequest,
  type SortStreamOptions,
} from '../stream/sort-stream.js';
import type { SortWorkerApi } from '../workers/sort-worker.js';
import { probeNeighbourhoods, type Neighbourhood, type NeighbourhoodOptions } from './neighbourhoods.js';
import { sortNeighbourhood, type NeighbourhoodJob } from './sort-neighbourhood.js';

export interface SortProbeOptions extends SortStreamOptions, NeighbourhoodOptions {
  /** Electrode positions, channels × coordinates (µm), in the source's column order. */
  positions: Matrix<Float64Array>;
  /** Detection exclusion radius, µm (default 100). */
  radius?: number;
  /** Sort the neighbourhoods in parallel on this pool (createSortPool); default: one after another here. */
  pool?: WorkerPool<SortWorkerApi>;
  /**
   * A neighbourhood with at most this many bytes of float32 samples is sorted whole (sortGroup);
   * a larger one a window at a time (sortStream), in memory that does not grow with the recording
   * (default 64 MiB: 40 s of 14 channels at 30 kHz).
   */
  inMemoryBytes?: number;
  /**
   * Bytes of recent windows of every channel kept for the neighbourhoods sorted at once (default
   * 256 MiB); streamed neighbourhoods matching in step hold 4 windows (at most 64 MiB each by default) besides.
   */
  cacheBytes?: number;
  /**
   * The neighbourhoods sorted whole (and the streamed ones that learn from every chunk, so read all
   * their rows as they start) are read in batches of at most this many bytes of their samples, one
   * pass over the recording per batch (every channel of a window is read once for all of them), the
   * next batch read ahead while one is sorted (default 256 MiB; at least one neighbourhood a batch).
   */
  batchBytes?: number;
}

/**
 * Detections each neighbourhood learns its units from, at most, unless `learnSpikes` is given
 * (sortGroup's default is 6000). Neighbourhoods overlap (8 core channels of ~12), so each unit is
 * learned in ~1.5 of them, and only its core's units are kept: 4000 keeps ~300 spikes a unit at a
 * neighbourhood's ~12 units and cut a 60-s 64-channel shank's CPU by a tenth with no unit's
 * accuracy lower.
 */
const NEIGHBOURHOOD_LEARN_SPIKES = 4000;

/** A probe's sorting: each neighbourhood's own units (those whose templates peak on its core). */
export interface ProbeSorting {
  neighbourhoods: (Neighbourhood & { sorting: GroupSorting })[];
}

/**
 * Sorts a probe of any size: it is cut into overlapping neighbourhoods along the probe
 * (`probeNeighbourhoods`), each sorted on its own channels (its units' templates and matching span
 * those channels only), in parallel on `pool`'s workers; each keeps the units that peak on its core,
 * so a unit in the overlap is reported once. A worker reads its neighbourhood's samples from this
 * thread a window at a time. Neighbourhoods too long to hold are streamed side by side, all at once
 * (a few on each worker), learning in turns and matching in step, so that each window of every
 * channel is read once for all of them while they match (a pass over the recording, plus each
 * turn's learning chunks); those sorted whole are read once per batch. Each
 * neighbourhood is sorted as it would be alone, with the same seed, so the result does not depend
 * on the pool's size or the order work finishes in.
 *
 * @example
 * const pool = await createSortPool({ size: 2 });
 * const probe = await sortProbe({ rows, fs, read: (a, b) => rec.read(a, b) }, { positions, pool });
 * probe.neighbourhoods.flatMap((n) => n.sorting.units).length;
 * await pool.terminate();
 */
export async function sortProbe(source: AsyncRecordingSource, options: SortProbeOptions): Promise<ProbeSorting> {
  const {
    positions,
    radius,
    pool,
    inMemoryBytes,
    cacheBytes,
    batchBytes,
    coreChannels,
    marginUm,
    onProgress,
    ...rest
  } = options;
  const fs = checkNumber('fs', source.fs, { min: 0, exclusiveMin: true });
  const rows = checkNumber('rows', source.rows, { min: 1, integer: true });
  const plan = probeNeighbourhoods(positions, { coreChannels, marginUm });
  const channels = positions.rows;
  // windows of every channel stay below 64 MiB (1.5 s of 384 channels at 30 kHz), at most 10 s
  const chunkSeconds = rest.chunkSeconds ?? Math.max(1, Math.min(10, 2 ** 24 / (channels * fs)));
  const windows = new WindowCache(source, {
    channels,
    bytes: checkNumber('cacheBytes', cacheBytes ?? 2 ** 28, { min: 0 }),
    rows: Math.round(chunkSeconds * fs),
  });
  const budget = checkNumber('inMemoryBytes', inMemoryBytes ?? 2 ** 26, { min: 0 });
  const whole = plan.map((n) => rows * n.channels.length * 4 <= budget);
  const learnSeconds = rest.learnSeconds ?? 60;
  // a streamed neighbourhood that learns from every chunk reads all its rows as it starts: it is
  // read in the whole ones' batches too, not a window of every channel per neighbourhood
  const allAtStart = whole.map((w) => !w && learnsEveryChunk(rows, fs, { chunkSeconds, learnSeconds }));
  const batches = new WholeReads(windows, {
    rows,
    channels: plan.map((n, i) => (whole[i] || allAtStart[i] ? n.channels : undefined)),
    bytes: checkNumber('batchBytes', batchBytes ?? 2 ** 28, { min: 0 }),
  });
  const done = new Float64Array(plan.length);
  const progressOf = (i: number) => (f: number) => {
    done[i] = Math.max(done[i], f);
    onProgress?.(done.reduce((a, b) => a + b, 0) / plan.length);
  };
  const jobOf = (n: Neighbourhood, i: number): NeighbourhoodJob => ({
    rows,
    fs,
    core: n.core.map((c) => n.channels.indexOf(c)),
    inMemory: whole[i],
    options: {
      ...rest,
      chunkSeconds,
      learnSeconds,
      learnSpikes: rest.learnSpikes ?? NEIGHBOURHOOD_LEARN_SPIKES,
      band: rest.band ?? [300, 6000],
      neighbours: neighboursWithin(pick(positions, n.channels), { radius: radius ?? 100 }),
    },
  });
  // streamed neighbourhoods (the others read all their rows as they start) are sorted side by side, in step
  const together = plan.map((_, i) => i).filter((i) => !whole[i] && !allAtStart[i]),
    alone = plan.map((_, i) => i).filter((i) => whole[i] || allAtStart[i]);
  const steps = new StepReads(windows, streamReadOrder(rows, fs, { ...rest, chunkSeconds, learnSeconds }), {
    members: together.length,
    lanes: pool?.size ?? 1,
    rows,
  });
  // a whole neighbourhood reads all its rows at once, from its batch; a streamed one a window at a
  // time, in step with the others, or from its batch's rows when it reads them all as it starts
  const readers = plan.map((n, i) => {
    const windowed = (a: number, b: number) => windows.read(a, b, n.channels);
    if (together.includes(i)) return steps.reader(together.indexOf(i), n.channels);
    if (allAtStart[i]) return rowsOfWhole(() => batches.take(i), rows, windowed);
    return (a: number, b: number) => (whole[i] && a === 0 && b === rows ? batches.take(i) : windowed(a, b));
  });
  const jobAt = (i: number): NeighbourhoodJob =>
    together.includes(i) ? { ...jobOf(plan[i], i), reads: 'reread' } : jobOf(plan[i], i);
  const sortings: GroupSorting[] = [];
  const keep = (i: number) => (sorting: GroupSorting) => void (sortings[i] = sorting);
  const inStep = (i: number, sorting: Promise<GroupSorting>) => steps.done(together.indexOf(i), sorting.then(keep(i)));
  if (pool) {
    const onWorker = (api: Comlink.Remote<SortWorkerApi>, i: number) => {
      const transferred = async (a: number, b: number) => {
        const x = await readers[i](a, b);
        return Comlink.transfer(x, [x.data.buffer]);
      };
      const progress = onProgress ? Comlink.proxy(progressOf(i)) : undefined;
      return api.sortNeighbourhood(jobAt(i), Comlink.proxy(transferred), progress);
    };
    await Promise.all([
      pool.map(alone, (api, i) => onWorker(api, i).then(keep(i))),
      pool.spread(together, (api, i) => inStep(i, onWorker(api, i))),
    ]);
  } else {
    // one after another: a neighbourhood's windows and state are freed before the next one starts
    for (const i of alone) keep(i)(await sortNeighbourhood(jobAt(i), readers[i], progressOf(i)));
    await Promise.all(together.map((i) => inStep(i, sortNeighbourhood(jobAt(i), readers[i], progressOf(i)))));
  }
  onProgress?.(1);
  return { neighbourhoods: plan.map((n, i) => ({ ...n, sorting: sortings[i] })) };
}

/** Matching reads one streamed neighbourhood may make ahead of the slowest (StepReads). */
const LEAD = 1;

/**
 * Reads for the streamed neighbourhoods, sorted side by side: they all make the same reads
 * (`streamReadOrder`), so while they match, each window of every channel is read from the source
 * once and its rows copied out to each; one more than `LEAD` reads ahead of the slowest waits, so
 * the windows held are `LEAD` + 3 (a read spans parts of 3) whatever the number of neighbourhoods.
 * Members are in lanes (member m on worker m mod `lanes`, as `pool.spread` places them), and the
 * members of a lane learn (read the learning chunks, through the cache, then learn from them) one at
 * a time, since a learner holds its learning data; those chunks are read again when matched.
 */
class StepReads {
  /** Per member, its next read's index in `order.reads`. */
  private readonly next: number[];
  private readonly finished: boolean[];
  /** Per lane (worker), whether one of its members is learning. */
  private readonly learning: boolean[];
  private readonly waiting: (() => void)[] = [];
  private readonly rows: number;
  /** Windows of every channel being matched, by index. */
  private readonly held = new Map<number, Promise<Matrix<Float32Array>>>();

  constructor(
    private readonly cache: WindowCache,
    private readonly order: { reads: ReadRequest[]; learning: number },
    options: { members: number; lanes: number; rows: number },
  ) {
    this.rows = options.rows;
    this.next = new Array<number>(options.members).fill(0);
    this.finished = new Array<boolean>(options.members).fill(false);
    this.learning = new Array<boolean>(options.lanes).fill(false);
  }

  /** Member `me`'s reads of its channels, each checked against the order every member keeps. */
  reader(me: number, channels: readonly number[]): (a: number, b: number) => Promise<Matrix<Float32Array>> {
    const { reads, learning } = this.order;
    return async (a, b) => {
      const k = this.next[me];
      if (reads[k]?.start !== a || reads[k]?.end !== b)
        throw new Error(`sortProbe: a streamed neighbourhood read rows [${a}, ${b}) out of the stream's order`);
      const lane = me % this.learning.length;
      if (k === 0 && learning > 0) {
        // the lane is taken in the check itself: every waiter is checked in one go when woken
        await this.until(() => !this.learning[lane] && (this.learning[lane] = true));
      }
      if (k === learning && learning > 0) {
        this.learning[lane] = false; // its learning is over
        if (this.next.every((n, m) => n > learning || m === me || this.finished[m])) this.cache.clear();
      }
      this.next[me] = k + 1;
      this.wake();
      if (k < learning) return this.cache.read(a, b, channels);
      await this.until(() => k - learning <= this.slowest() + LEAD);
      const out = new Float32Array((b - a) * channels.length);
      const step = this.cache.windowRows;
      for (let w = Math.floor(a / step); w * step < b; w++) {
        const from = Math.max(a, w * step),
          to = Math.min(b, (w + 1) * step);
        copyColumns(await this.window(w), channels, out, from - a, [from - w * step, to - w * step]);
      }
      this.dropBehind();
      return { data: out, rows: b - a, cols: channels.length };
    };
  }

  /** `sorting`, after which member `me` has finished (or failed), so the others no longer wait for it. */
  async done<R>(me: number, sorting: Promise<R>): Promise<R> {
    try {
      return await sorting;
    } finally {
      if (this.next[me] > 0 && this.next[me] <= this.order.learning) this.learning[me % this.learning.length] = false;
      this.finished[me] = true;
      this.dropBehind();
      this.wake();
    }
  }

  /** Matching reads begun by the slowest unfinished member, less one (−1: none yet). */
  private slowest(): number {
    let least = Infinity;
    this.next.forEach((k, m) => this.finished[m] || (least = Math.min(least, k - this.order.learning - 1)));
    return least;
  }

  /** Window `w` of every channel (rows from w × windowRows), read once. */
  private window(w: number): Promise<Matrix<Float32Array>> {
    let x = this.held.get(w);
    const step = this.cache.windowRows;
    if (!x) this.held.set(w, (x = this.cache.fetch(w * step, Math.min(this.rows, (w + 1) * step))));
    return x;
  }

  /** Lets go of the windows that end before the read the slowest unfinished member is on. */
  private dropBehind(): void {
    const { reads, learning } = this.order;
    const slowest = this.slowest();
    const from = slowest === Infinity ? Infinity : reads[learning + Math.max(0, slowest)].start;
    for (const w of this.held.keys()) if ((w + 1) * this.cache.windowRows <= from) this.held.delete(w);
  }

  private until(ready: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (ready() ? resolve() : this.waiting.push(check));
      check();
    });
  }

  private wake(): void {
    for (const check of this.waiting.splice(0)) check();
  }
}

/**
 * Reads of a streamed neighbourhood served from all its rows, read once (`take`), each read a copy,
 * until one reaches the last row (its first pass is over): the rows are then let go, and any later
 * read goes to `otherwise`.
 */
function rowsOfWhole(
  take: () => Promise<Matrix<Float32Array>>,
  rows: number,
  otherwise: (a: number, b: number) => Promise<Matrix<Float32Array>>,
): (a: number, b: number) => Promise<Matrix<Float32Array>> {
  let held: Promise<Matrix<Float32Array>> | undefined;
  let done = false;
  return async (a, b) => {
    if (done) return otherwise(a, b);
    held ??= take();
    const x = await held;
    if (b === rows) {
      done = true;
      held = undefined;
    }
    return { data: x.data.slice(a * x.cols, b * x.cols), rows: b - a, cols: x.cols };
  };
}

/** Rows of a matrix (channels × coordinates) in the given order. */
function pick(positions: Matrix<Float64Array>, channels: readonly number[]): Matrix<Float64Array> {
  const { data, cols } = positions;
  const out = new Float64Array(channels.length * cols);
  channels.forEach((c, i) => out.set(data.subarray(c * cols, (c + 1) * cols), i * cols));
  return { data: out, rows: channels.length, cols };
}

/**
 * Windows of every channel, read once while the neighbourhoods sorted at the same time ask for
 * them (they read the same windows, a little apart in time): the most recent, up to `bytes`.
 */
class WindowCache {
  private readonly held = new Map<string, Promise<Matrix<Float32Array>>>();
  private readonly sizes = new Map<string, number>();
  private total = 0;
  private readonly channels: number;
  private readonly bytes: number;
  /** Rows of the windows a long read is cut into (the stream's chunk). */
  readonly windowRows: number;

  constructor(
    private readonly source: AsyncRecordingSource,
    options: { channels: number; bytes: number; rows: number },
  ) {
    ({ channels: this.channels, bytes: this.bytes, rows: this.windowRows } = options);
  }

  /**
   * Rows [a, b) of the given channels (a copy, the caller's to keep or transfer). A read of a whole
   * neighbourhood is cut into windows of `rows` (at multiples of it), never read at once on every channel.
   */
  async read(a: number, b: number, channels: readonly number[]): Promise<Matrix<Float32Array>> {
    const out = new Float32Array((b - a) * channels.length);
    for (const [p, q] of this.pieces(a, b)) copyColumns(await this.window(p, q), channels, out, p - a);
    return { data: out, rows: b - a, cols: channels.length };
  }

  /**
   * Rows [a, b) of each set of channels, in one pass over the source that the cache does not keep
   * (each window is read once for every set; keeping it would only push out the streamed ones).
   */
  async readSets(a: number, b: number, sets: readonly (readonly number[])[]): Promise<Matrix<Float32Array>[]> {
    const outs = sets.map((channels) => new Float32Array((b - a) * channels.length));
    for (const [p, q] of this.pieces(a, b)) {
      const x = await this.fetch(p, q);
      sets.forEach((channels, s) => copyColumns(x, channels, outs[s], p - a));
    }
    return outs.map((data, s) => ({ data, rows: b - a, cols: sets[s].length }));
  }

  /** [a, b) cut at multiples of the window rows (one piece when it is short). */
  private pieces(a: number, b: number): [number, number][] {
    const step = this.windowRows;
    if (b - a <= 1.5 * step) return [[a, b]];
    return Array.from({ length: Math.ceil(b / step) - Math.floor(a / step) }, (_, i) => {
      const start = (Math.floor(a / step) + i) * step;
      return [Math.max(a, start), Math.min(b, start + step)];
    });
  }

  /** Rows [a, b) of every channel, from the cache or the source. */
  private async window(a: number, b: number): Promise<Matrix<Float32Array>> {
    const key = `${a}:${b}`;
    let window = this.held.get(key);
    if (window) {
      this.held.delete(key); // most recent last
      this.held.set(key, window);
    } else {
      window = this.fetch(a, b);
      this.keep(key, window, (b - a) * this.channels * 4);
    }
    return window;
  }

  /** Rows [a, b) of every channel from the source, checked. */
  async fetch(a: number, b: number): Promise<Matrix<Float32Array>> {
    const x = await this.source.read(a, b);
    if (x.cols !== this.channels || x.rows !== b - a)
      throw new ParameterError('read', `rows [${a}, ${b}) of ${this.channels} channels`, `${x.rows} × ${x.cols}`);
    return x;
  }

  /** Lets go of every window kept. */
  clear(): void {
    this.held.clear();
    this.sizes.clear();
    this.total = 0;
  }

  private keep(key: string, window: Promise<Matrix<Float32Array>>, size: number): void {
    this.held.set(key, window);
    this.sizes.set(key, size);
    this.total += size;
    for (const old of this.held.keys()) {
      if (this.total <= this.bytes || old === key) break;
      this.held.delete(old);
      this.total -= this.sizes.get(old)!;
      this.sizes.delete(old);
    }
  }
}

/** Columns `channels` of `x`'s rows [from, to) (default all) into `out` (rows × channels.length) from row `at`. */
function copyColumns(
  x: Matrix<Float32Array>,
  channels: readonly number[],
  out: Float32Array,
  at: number,
  [from, to]: readonly [number, number] = [0, x.rows],
): void {
  const m = channels.length,
    C = x.cols;
  for (let r = from; r < to; r++) {
    const o = (at + r - from) * m;
    for (let k = 0; k < m; k++) out[o + k] = x.data[r * C + channels[k]];
  }
}

/**
 * The samples of the neighbourhoods sorted whole (those with `channels`), read together: cut in plan
 * order into batches of at most `bytes` (at least one neighbourhood each), a batch read in one pass
 * (`readSets`) when its first neighbourhood asks, and the next one then read ahead, so the recording
 * is read once per batch, not once per neighbourhood, and at most two batches are held.
 */
class WholeReads {
  /** Per neighbourhood, its batch (−1: streamed). */
  private readonly batchOf: number[];
  private readonly members: number[][] = [];
  /** Per batch: its samples by neighbourhood while some are not taken, then 'done'. */
  private readonly state = new Map<number, Promise<Map<number, Matrix<Float32Array>>> | 'done'>();
  private readonly rows: number;
  private readonly channels: (readonly number[] | undefined)[];

  constructor(
    private readonly windows: WindowCache,
    options: { rows: number; channels: (readonly number[] | undefined)[]; bytes: number },
  ) {
    ({ rows: this.rows, channels: this.channels } = options);
    let bytes = Infinity;
    this.batchOf = this.channels.map((c, i) => {
      if (!c) return -1;
      const size = this.rows * c.length * 4;
      if (bytes + size > options.bytes || this.members.length === 0) {
        this.members.push([]);
        bytes = 0;
      }
      bytes += size;
      this.members.at(-1)!.push(i);
      return this.members.length - 1;
    });
  }

  /** All rows of whole neighbourhood `i`, from its batch, which then lets go of them (read again if asked twice). */
  async take(i: number): Promise<Matrix<Float32Array>> {
    const b = this.batchOf[i];
    const batch = this.load(b);
    // read ahead; a failure there is reported to the neighbourhood that asks for it
    this.load(b + 1)?.catch(() => undefined);
    const x = (await batch)?.get(i);
    if (!x) return this.windows.read(0, this.rows, this.channels[i]!);
    const held = (await batch)!;
    held.delete(i);
    if (held.size === 0) this.state.set(b, 'done');
    return x;
  }

  private load(b: number): Promise<Map<number, Matrix<Float32Array>>> | undefined {
    if (b >= this.members.length) return undefined;
    const known = this.state.get(b);
    if (known === 'done') return undefined;
    if (known) return known;
    const ids = this.members[b];
    const loading = this.windows
      .readSets(
        0,
        this.rows,
        ids.map((i) => this.channels[i]!),
      )
      .then((xs) => new Map(ids.map((id, k) => [id, xs[k]])));
    this.state.set(b, loading);
    return loading;
  }
}
