import { checkNumber, Comlink, ParameterError, type Matrix, type WorkerPool } from '@spyglass-wasm/core';
import { neighboursWithin } from '../detect/detect-peaks.js';
import type { GroupSorting } from '../sort/sort-group.js';
import type { AsyncRecordingSource, SortStreamOptions } from '../stream/sort-stream.js';
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
  /** Bytes of recent windows of every channel kept for the neighbourhoods sorted at once (default 256 MiB). */
  cacheBytes?: number;
}

/** A probe's sorting: each neighbourhood's own units (those whose templates peak on its core). */
export interface ProbeSorting {
  neighbourhoods: (Neighbourhood & { sorting: GroupSorting })[];
}

/**
 * Sorts a probe of any size: it is cut into overlapping neighbourhoods along the probe
 * (`probeNeighbourhoods`), each sorted on its own channels (its units' templates and matching span
 * those channels only), in parallel on `pool`'s workers; each keeps the units that peak on its core,
 * so a unit in the overlap is reported once. A worker reads its neighbourhood's samples from this
 * thread a window at a time, and windows of every channel are read once for the neighbourhoods
 * being sorted together. Each neighbourhood is sorted as it would be alone, with the same seed, so
 * the result does not depend on the pool's size or the order work finishes in.
 *
 * @example
 * const pool = await createSortPool({ size: 2 });
 * const probe = await sortProbe({ rows, fs, read: (a, b) => rec.read(a, b) }, { positions, pool });
 * probe.neighbourhoods.flatMap((n) => n.sorting.units).length;
 * await pool.terminate();
 */
export async function sortProbe(source: AsyncRecordingSource, options: SortProbeOptions): Promise<ProbeSorting> {
  const { positions, radius, pool, inMemoryBytes, cacheBytes, coreChannels, marginUm, onProgress, ...rest } = options;
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
  const done = new Float64Array(plan.length);
  const progressOf = (i: number) => (f: number) => {
    done[i] = Math.max(done[i], f);
    onProgress?.(done.reduce((a, b) => a + b, 0) / plan.length);
  };
  const jobOf = (n: Neighbourhood): NeighbourhoodJob => ({
    rows,
    fs,
    core: n.core.map((c) => n.channels.indexOf(c)),
    inMemory: rows * n.channels.length * 4 <= budget,
    options: {
      ...rest,
      chunkSeconds,
      learnSeconds: rest.learnSeconds ?? 60,
      band: rest.band ?? [300, 6000],
      neighbours: neighboursWithin(pick(positions, n.channels), { radius: radius ?? 100 }),
    },
  });
  const read = (n: Neighbourhood) => (a: number, b: number) => windows.read(a, b, n.channels);
  let sortings: GroupSorting[];
  if (pool) {
    sortings = await Promise.all(
      plan.map((n, i) => {
        const transferred = async (a: number, b: number) => {
          const x = await read(n)(a, b);
          return Comlink.transfer(x, [x.data.buffer]);
        };
        const progress = onProgress ? Comlink.proxy(progressOf(i)) : undefined;
        return pool.run((api) => api.sortNeighbourhood(jobOf(n), Comlink.proxy(transferred), progress));
      }),
    );
  } else {
    // one after another: a neighbourhood's windows and state are freed before the next one starts
    sortings = [];
    for (const [i, n] of plan.entries()) sortings.push(await sortNeighbourhood(jobOf(n), read(n), progressOf(i)));
  }
  onProgress?.(1);
  return { neighbourhoods: plan.map((n, i) => ({ ...n, sorting: sortings[i] })) };
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
  private readonly rows: number;

  constructor(
    private readonly source: AsyncRecordingSource,
    options: { channels: number; bytes: number; rows: number },
  ) {
    ({ channels: this.channels, bytes: this.bytes, rows: this.rows } = options);
  }

  /**
   * Rows [a, b) of the given channels (a copy, the caller's to keep or transfer). A read of a whole
   * neighbourhood is cut into windows of `rows` (at multiples of it), never read at once on every channel.
   */
  async read(a: number, b: number, channels: readonly number[]): Promise<Matrix<Float32Array>> {
    const m = channels.length;
    const out = new Float32Array((b - a) * m);
    const step = this.rows;
    const pieces: [number, number][] =
      b - a <= 1.5 * step
        ? [[a, b]]
        : Array.from({ length: Math.ceil(b / step) - Math.floor(a / step) }, (_, i) => {
            const start = (Math.floor(a / step) + i) * step;
            return [Math.max(a, start), Math.min(b, start + step)];
          });
    for (const [p, q] of pieces) {
      const x = await this.window(p, q);
      const C = x.cols;
      for (let r = 0; r < x.rows; r++) {
        const o = (p - a + r) * m;
        for (let k = 0; k < m; k++) out[o + k] = x.data[r * C + channels[k]];
      }
    }
    return { data: out, rows: b - a, cols: m };
  }

  /** Rows [a, b) of every channel, from the cache or the source. */
  private async window(a: number, b: number): Promise<Matrix<Float32Array>> {
    const key = `${a}:${b}`;
    let window = this.held.get(key);
    if (window) {
      this.held.delete(key); // most recent last
      this.held.set(key, window);
    } else {
      window = Promise.resolve(this.source.read(a, b));
      this.keep(key, window, (b - a) * this.channels * 4);
    }
    const x = await window;
    if (x.cols !== this.channels || x.rows !== b - a)
      throw new ParameterError('read', `rows [${a}, ${b}) of ${this.channels} channels`, `${x.rows} × ${x.cols}`);
    return x;
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
