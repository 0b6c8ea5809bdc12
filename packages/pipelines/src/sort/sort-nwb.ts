import { Comlink, NwbFormatError, ParameterError, type Matrix, type WorkerPool } from '@spyglass-wasm/core';
import { openNwb, NwbFile, type NwbSource } from '@spyglass-wasm/nwb-io';
import {
  neighboursWithin,
  probeNeighbourhoods,
  qualityMetrics,
  sortGroup,
  sortGroupOnPool,
  sortProbe,
  sortStream,
  unitAmplitudes,
  type GroupSorting,
  type NeighbourhoodOptions,
  type QualityMetrics,
  type SortGroupOptions,
  type SortStreamOptions,
  type SortWorkerApi,
} from '@spyglass-wasm/spike-sort';
import { Session, type GroupSelection } from '../session/session.js';

export interface SortNwbOptions
  extends Omit<SortGroupOptions, 'fs' | 'onProgress'>, Pick<SortStreamOptions, 'chunkSeconds' | 'learnSeconds'> {
  /** Sort only this electrode group (default: every group). */
  group?: string;
  /** ElectricalSeries to sort (default: the session adapter's raw series). */
  /** Sort only rows [first, end) of the series (an interval; default all). */
  rows?: readonly [number, number];
  series?: string;
  /** Called with the fraction done (0..1) and the group being sorted. */
  onProgress?: (fraction: number, group: string) => void;
  /**
   * Sort the groups in parallel on this pool (createSortPool); default: one after another here. A file
   * with one group sorted in memory has its template matching split in time spans over the pool's
   * workers (`sortGroupOnPool`: the same sorting).
   */
  pool?: WorkerPool<SortWorkerApi>;
  /**
   * Without `pool`: called once with the number of groups (streamed or not) plus the neighbourhoods
   * of probes, before any is sorted; the pool it returns (if any) sorts them in parallel. The
   * caller terminates that pool, so one is created only when it is used.
   */
  openPool?: (groups: number) => Promise<WorkerPool<SortWorkerApi> | undefined>;
  /**
   * Read and sort each group a chunk at a time (sortStream), in memory that does not grow with
   * the recording. Default: when the series is longer than 10 minutes. Streamed groups are sorted
   * on the pool's workers, a group per worker at a time reading its windows from this thread (without
   * a pool, on this thread one after another); a probe's neighbourhoods (on the pool) by default stream
   * when one holds more than 64 MiB of samples.
   */
  stream?: boolean;
  /**
   * Detection exclusion radius, µm, on groups of more than 4 channels whose electrodes have
   * positions (rel_x/rel_y or x/y/z in the electrodes table); default 100. Tetrodes, and groups
   * without positions, exclude over the whole group.
   */
  radius?: number;
  /**
   * Groups of more than 16 channels with positions (probes) are cut into neighbourhoods of
   * `coreChannels` (default 8) along the probe plus those within `marginUm` (default 60 µm), sorted
   * apart on the pool and each reporting the units peaking on its core (`sortProbe`): the cost of
   * sorting grows with the square of a group's channels, and a worker holds one neighbourhood.
   */
  neighbourhoods?: NeighbourhoodOptions;
}

/** Groups with more channels than this, and with positions, are sorted by neighbourhoods. */
const PROBE_CHANNELS = 16;

/** One unit of a file sorting: spike times in the source file's time base and its metrics. */
export interface FileUnit {
  group: string;
  /** Spike times, seconds, in the session's time base. */
  spikeTimes: Float64Array;
  metrics: QualityMetrics;
  /** Mean waveform on the peak channel (µV) and the channel (column of the series). */
  waveform: Float32Array;
  peakChannel: number;
  /**
   * Mean waveform on every channel of its group (samples × the group's channels, µV); on a probe,
   * 0 on the channels outside the neighbourhood it was sorted on.
   */
  template: Float32Array;
  /** Each spike's amplitude (µV, signed, on the peak channel), aligned with `spikeTimes` (unitAmplitudes). */
  amplitudes: Float64Array;
}

export interface FileSorting {
  source: string;
  series: string;
  fs: number;
  /** Duration of the sorted series (s). */
  duration: number;
  /** Each group's sorting; a probe's once per neighbourhood (same name, the neighbourhood's channels). */
  groups: { name: string; channels: number[]; sorting: GroupSorting }[];
  units: FileUnit[];
}

/**
 * Sorts the raw ElectricalSeries of an NWB file one electrode group at a time (tetrodes or probe
 * shanks, from the electrodes table), in µV, and returns every unit with its spike times in the
 * file's time base and SpikeInterface's quality metrics.
 *
 * @example
 * const sorting = await sortNwb('session.nwb', { group: 'tetrode0' });
 * console.log(sorting.units.map((u) => [u.group, u.spikeTimes.length, u.metrics.snr]));
 */
export async function sortNwb(source: NwbSource | NwbFile, options: SortNwbOptions = {}): Promise<FileSorting> {
  const {
    pool: given,
    openPool,
    onProgress,
    group,
    series,
    stream,
    radius,
    rows: span,
    neighbourhoods,
    ...groupOptions
  } = options;
  return withGroups(source, { group, series }, async (sel) => {
    const groups: FileSorting['groups'] = [];
    const units: FileUnit[] = [];
    // each group's fraction done; groups on a pool run at once, so the file's is their mean
    const doneOf = new Float64Array(sel.groups.length);
    const progressOf = (gi: number, name: string) => (f: number) => {
      doneOf[gi] = Math.max(doneOf[gi], f); // a report from a worker may arrive after the result
      onProgress?.(doneOf.reduce((a, b) => a + b, 0) / sel.groups.length, name);
    };
    // the rows sorted: all, or one span of them (an interval); sample i of the span is row first + i
    const [first, end] = span ?? [0, sel.info.shape[0]];
    const rows = end - first,
      duration = rows / sel.fs;
    if (duration < 1)
      throw new NwbFormatError(
        sel.nwb.name,
        sel.info.path,
        `at least 1 s of samples to sort (${rows} at ${sel.fs} Hz)`,
      );
    const streamed = stream ?? duration > 600;
    // probes (more than PROBE_CHANNELS channels with positions) are sorted by neighbourhoods (sortProbe)
    const plans = sel.groups.map(({ channels, positions }) =>
      positions && channels.length > PROBE_CHANNELS ? probeNeighbourhoods(positions, neighbourhoods) : undefined,
    );
    // every group is a job for the pool, streamed ones too (a worker streams one group at a time)
    const jobs = plans.reduce((n, plan) => n + (plan?.length ?? 1), 0);
    const pool = given ?? (jobs > 0 ? await openPool?.(jobs) : undefined);
    const sortOne = async ({ name, channels, positions }: (typeof sel.groups)[number], gi: number) =>
      inGroup(sel, name, async (): Promise<SortedPart[]> => {
        const read = (a: number, b: number) =>
          sel.series.read({ rows: [first + a, first + b], channels, scale: 'microvolts' });
        const progress = progressOf(gi, name);
        if (plans[gi] && positions) {
          const probe = await sortProbe(
            { rows, fs: sel.fs, read },
            {
              ...groupOptions,
              ...neighbourhoods,
              positions,
              radius,
              pool,
              onProgress: progress,
              // `stream` chooses for every neighbourhood; by default each by its size
              ...(stream === undefined ? {} : { inMemoryBytes: stream ? 0 : Number.MAX_SAFE_INTEGER }),
            },
          );
          return probe.neighbourhoods.map((n) => ({
            channels: n.channels.map((c) => channels[c]),
            sorting: n.sorting,
          }));
        }
        const neighbours =
          positions && channels.length > 4 ? neighboursWithin(positions, { radius: radius ?? 100 }) : undefined;
        const sortOptions = { ...groupOptions, neighbours };
        if (streamed) {
          const source = { rows, fs: sel.fs, channels: channels.length, read };
          const sorting = pool
            ? await streamOnPool(pool, source, sortOptions, progress)
            : sortStream(source, { ...sortOptions, onProgress: progress });
          return [{ channels, sorting }];
        }
        const opts = { ...sortOptions, fs: sel.fs };
        let sorting: GroupSorting;
        if (!pool) sorting = sortGroup(read(0, rows), { ...opts, onProgress: progress });
        // the one group sorted in memory, on several workers: its matching is split in time spans
        else if (jobs === 1 && pool.size > 1)
          sorting = await sortGroupOnPool(pool, read(0, rows), {
            ...opts,
            onProgress: onProgress ? progress : undefined,
          });
        else
          // read once a worker is free, not as the group is queued: the groups waiting for a worker
          // hold nothing (all 32 tetrodes of a 128-channel file read at once held its whole recording)
          sorting = await pool.run((api) => {
            const x = read(0, rows);
            return api.sortGroup(
              Comlink.transfer(x, [x.data.buffer]),
              opts,
              onProgress ? Comlink.proxy(progress) : undefined,
            );
          });
        progress(1);
        return [{ channels, sorting }];
      });
    // on a pool the groups go at once; here one after another, so one group's data is held at a time
    let sortings: SortedPart[][];
    if (pool) sortings = await Promise.all(sel.groups.map(sortOne));
    else {
      sortings = [];
      for (const [gi, g] of sel.groups.entries()) sortings.push(await sortOne(g, gi));
    }
    sel.groups.forEach(({ name, channels: groupChannels }, gi) => {
      for (const { channels, sorting } of sortings[gi]) {
        const metrics = qualityMetrics(sorting, { fs: sel.fs, duration });
        const amplitudes = unitAmplitudes(sorting);
        groups.push({ name, channels, sorting });
        sorting.units.forEach((u, i) => {
          const waveform = new Float32Array(sorting.snippetLength);
          for (let s = 0; s < waveform.length; s++) waveform[s] = u.template[s * sorting.channels + u.peakChannel];
          units.push({
            group: name,
            spikeTimes: Float64Array.from(u.samples, (sample) => sel.toTime(first + sample)),
            metrics: metrics[i],
            waveform,
            peakChannel: channels[u.peakChannel],
            template: onGroupChannels(u.template, channels, groupChannels),
            amplitudes: amplitudes[i],
          });
        });
      }
    });
    return { source: sel.nwb.name, series: sel.info.path, fs: sel.fs, duration, groups, units };
  });
}

/**
 * sortStream of one group on a worker of `pool` (a neighbourhood job whose core is every channel:
 * the same sorting): the worker asks this thread for each window it reads, so a worker holds one
 * group's stream and the groups waiting for a worker hold nothing.
 */
async function streamOnPool(
  pool: WorkerPool<SortWorkerApi>,
  source: { rows: number; fs: number; channels: number; read: (a: number, b: number) => Matrix<Float32Array> },
  options: Omit<SortStreamOptions, 'onProgress'>,
  progress: (f: number) => void,
): Promise<GroupSorting> {
  const { rows, fs, channels, read } = source;
  // async: the worker awaits each window it asks this thread for
  const transferred = async (a: number, b: number) => {
    const x = read(a, b);
    return Comlink.transfer(x, [x.data.buffer]);
  };
  const sorting = await pool.run((api) =>
    api.sortNeighbourhood(
      { rows, fs, core: [...Array(channels).keys()], inMemory: false, options },
      Comlink.proxy(transferred),
      Comlink.proxy(progress),
    ),
  );
  progress(1);
  return sorting;
}

/** Part of a group sorted on its own (the group, or a neighbourhood of a probe): its series columns and sorting. */
type SortedPart = { channels: number[]; sorting: GroupSorting };

/** A template on some of a group's channels laid out on all of them (0 on the channels it was not sorted on). */
function onGroupChannels(template: Float32Array, channels: number[], groupChannels: number[]): Float32Array {
  if (channels.length === groupChannels.length) return template;
  const C = groupChannels.length,
    m = channels.length,
    length = template.length / m;
  const column = channels.map((c) => groupChannels.indexOf(c));
  const out = new Float32Array(length * C);
  for (let s = 0; s < length; s++) for (let k = 0; k < m; k++) out[s * C + column[k]] = template[s * m + k];
  return out;
}

/** The lowest sampling rate whose spike band can hold a spike's shape. */
const MIN_SPIKE_RATE = 5000;

/**
 * Opens a source (or takes an open file), selects the raw series and its electrode groups through
 * the session adapter, runs `fn`, and closes what it opened. What sorting and marks both need.
 */
export async function withGroups<R>(
  source: NwbSource | NwbFile,
  options: { series?: string | null; group?: string | null },
  fn: (sel: GroupSelection) => R | Promise<R>,
): Promise<R> {
  const nwb = source instanceof NwbFile ? source : await openNwb(source as NwbSource);
  try {
    const sel = new Session(nwb).groups(options);
    // spikes last ~1 ms: below 5 kHz the spike band (600–6000 Hz) is gone, and what is sorted is an
    // LFP band (a Neuropixels LF series is 2.5 kHz); say so rather than return noise units
    if (sel.fs < MIN_SPIKE_RATE)
      throw new NwbFormatError(
        nwb.name,
        sel.info.path,
        `a raw recording sampled at ${MIN_SPIKE_RATE} Hz or more to detect spikes (this is ${sel.fs} Hz: an LFP band?)`,
      );
    return await fn(sel);
  } finally {
    if (nwb !== source) nwb.close();
  }
}

/** Runs one group's work; a problem with its data is reported against the file, series and group. */
async function inGroup<R>(sel: GroupSelection, group: string, fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ParameterError && err.parameter === 'x')
      throw new NwbFormatError(sel.nwb.name, sel.info.path, `${err.expected} in electrode group ${group}`, err);
    throw err;
  }
}
