import {
  NwbFormatError,
  ParameterError,
  mergeIntervals,
  searchSorted,
  type Interval,
  type Matrix,
} from '@spyglass-wasm/core';
import {
  openNwb,
  type ElectricalSeries,
  type ElectricalSeriesInfo,
  type NwbFile,
  type SpatialSeries,
} from '@spyglass-wasm/nwb-io';
import type { ResultData, StepInput } from '@spyglass-wasm/provenance';

/** The session fields an analysis file copies from its source. */
export interface SessionInfo {
  identifier: string;
  sessionDescription: string;
  sessionStartTime: string;
}

/** A raw series split into electrode groups, with the time of any (fractional) sample. */
export interface GroupSelection {
  nwb: NwbFile;
  info: ElectricalSeriesInfo;
  series: ElectricalSeries;
  fs: number;
  duration: number;
  /**
   * Each group's channels (columns of the series) and, when the electrodes table has them, their
   * positions in µm (channels × coordinates, one row per channel).
   */
  groups: { name: string; channels: number[]; positions?: Matrix<Float64Array> }[];
  toTime(sample: number): number;
}

/** Centimetres per unit of a position series, by the unit names NWB files use. */
const CM_PER_UNIT: [RegExp, number][] = [
  [/^(m|meters?|metres?)$/i, 100],
  [/^(cm|centimeters?|centimetres?)$/i, 1],
  [/^(mm|millimeters?|millimetres?)$/i, 0.1],
];

/**
 * The session adapter: the one place that answers, for every step the same way, which raw series,
 * which position series, which electrode groups, which unit scale and how sample indices map to
 * times. Steps ask it; none reads these rules from the file on its own.
 *
 * @example
 * const session = new Session(await openNwb('session.nwb'));
 * const raw = session.rawSeries();            // highest-rate ElectricalSeries in /acquisition
 * const pos = session.positionCm();           // the position series, in cm
 */
export class Session {
  constructor(readonly nwb: NwbFile) {}

  get info(): SessionInfo {
    const m = this.nwb.metadata;
    return { identifier: m.identifier, sessionDescription: m.sessionDescription, sessionStartTime: m.sessionStartTime };
  }

  /**
   * The raw ElectricalSeries: the one named (path or name), else the highest-rate series in
   * /acquisition (the first of equals), else the highest-rate series anywhere.
   */
  rawSeries(name?: string | null): ElectricalSeriesInfo {
    // continuous recordings only: SpikeEventSeries and unreadable series are listed, never picked
    const all = this.nwb.electricalSeries().filter((s) => s.kind === 'continuous');
    if (name) return this.named(all, name, 'series', 'a continuous ElectricalSeries');
    const acquired = all.filter((s) => s.path.startsWith('/acquisition/'));
    const pool = acquired.length ? acquired : all;
    if (pool.length === 0)
      throw new NwbFormatError(this.nwb.name, '/acquisition', 'an ElectricalSeries with the raw recording');
    return pool.reduce((best, s) => (s.timing.rate > best.timing.rate ? s : best));
  }

  /** The position SpatialSeries: the one named, else the first whose name says position, else the first. */
  positionSeries(name?: string | null): SpatialSeries {
    const all = this.nwb.position();
    if (name) return this.named(all, name, 'position', 'a SpatialSeries');
    const s = all.find((x) => /position/i.test(x.name)) ?? all[0];
    if (!s)
      throw new NwbFormatError(this.nwb.name, '/processing/*/Position', 'a SpatialSeries with the animal position');
    return s;
  }

  /** The object named by path or name, or an error naming `option` and listing the ones there are. */
  private named<T extends { path: string; name: string }>(
    all: readonly T[],
    name: string,
    option: string,
    kind: string,
  ): T {
    const hit = all.find((s) => s.path === name || s.name === name);
    if (!hit)
      throw new ParameterError(
        option,
        `${kind} of ${this.nwb.name} (${all.map((s) => s.path).join(', ') || 'none'})`,
        name,
      );
    return hit;
  }

  /** Whether the file has any position series (steps that can run without one say so). */
  hasPosition(): boolean {
    return this.nwb.position().length > 0;
  }

  /** The position series in cm (all its columns), converted from its unit. */
  positionCm(
    name?: string | null,
    options: { pixelsPerCm?: number } = {},
  ): { series: SpatialSeries; times: Float64Array; cm: Matrix<Float64Array> } {
    const series = this.positionSeries(name);
    const scale = cmPerUnit(series.unit, `${this.nwb.name}: ${series.path}`, options.pixelsPerCm);
    const { data, rows, cols } = series.data;
    return { series, times: series.timestamps, cm: { data: Float64Array.from(data, (v) => v * scale), rows, cols } };
  }

  /** The raw series (default rule above) split by electrode group (`group`: one only), with sample times. */
  groups(options: { series?: string | null; group?: string | null } = {}): GroupSelection {
    const info = this.rawSeries(options.series);
    const fs = info.timing.rate;
    const electrodes = this.nwb.electrodes();
    const groupOf = info.electrodeRows.map((row) => electrodes?.groupNames[row] ?? 'all');
    const names = [...new Set(groupOf)].filter((g) => !options.group || g === options.group);
    if (names.length === 0)
      throw new ParameterError('group', `one of ${[...new Set(groupOf)].join(', ')}`, options.group);
    const series = this.nwb.series(info.path);
    const coordinates = electrodes ? electrodePositions(electrodes.columns) : undefined;
    const groups = names.map((name) => {
      const channels = groupOf.flatMap((g, c) => (g === name ? [c] : []));
      const positions =
        coordinates &&
        selectRows(
          coordinates,
          channels.map((c) => info.electrodeRows[c]),
        );
      return { name, channels, positions: positions?.data.every(Number.isFinite) ? positions : undefined };
    });
    return { nwb: this.nwb, info, series, fs, duration: info.shape[0] / fs, groups, toTime: this.clock(info) };
  }

  /**
   * Names a user can give as an interval: each epoch tag (`sleep1`, `run1`, …), each TimeIntervals
   * table (`ripple_times`: all its rows) and each row of it (`epochs/0`).
   */
  intervalNames(): string[] {
    const names = new Set<string>();
    for (const t of this.nwb.intervals()) {
      names.add(t.name);
      const tags = t.columns.tags?.values as unknown[] | undefined;
      tags?.forEach((row) =>
        (Array.isArray(row) ? row : [row]).forEach((tag) => typeof tag === 'string' && tag && names.add(tag)),
      );
    }
    return [...names];
  }

  /**
   * The intervals (s) a name stands for: the rows of the epochs (or any TimeIntervals table) tagged
   * with it, a whole table by its name, or one row as `table/row`; or a list of [start, stop] given
   * directly. Merged and sorted; an unknown name is an error listing the names there are.
   *
   * @example
   * session.interval('run1');          // [[60, 180]]
   * session.interval([[0, 30]]);       // [[0, 30]]
   */
  interval(spec: string | readonly (readonly [number, number])[], option = 'interval'): Interval[] {
    if (typeof spec !== 'string') return intervalList(spec, option);
    const tables = this.nwb.intervals();
    const [tableName, row] = spec.split('/');
    const table = tables.find((t) => t.name === tableName);
    if (table && row === undefined) return mergeIntervals(table.intervals);
    if (table && /^\d+$/.test(row) && Number(row) < table.intervals.length) return [table.intervals[Number(row)]];
    const tagged = tables.flatMap((t) => {
      const tags = t.columns.tags?.values as unknown[] | undefined;
      return tags ? t.intervals.filter((_, i) => ([] as unknown[]).concat(tags[i]).includes(spec)) : [];
    });
    if (tagged.length) return mergeIntervals(tagged);
    throw new ParameterError(
      option,
      `an interval of ${this.nwb.name} (${this.intervalNames().join(', ') || 'it has no epochs or TimeIntervals'})`,
      spec,
    );
  }

  /**
   * Time (s) of a (fractional) sample index of a series: starting_time + i / rate, or its
   * timestamps interpolated (pass them when already read).
   */
  clock(info: ElectricalSeriesInfo, timestamps?: Float64Array): (sample: number) => number {
    if (info.timing.kind === 'rate') {
      const { startingTime, rate } = info.timing;
      return (sample) => startingTime + sample / rate;
    }
    const times = timestamps ?? this.nwb.series(info.path).timestamps();
    return (sample) => {
      const i = Math.floor(sample),
        f = sample - i;
      return times[Math.min(i, times.length - 1)] * (1 - f) + times[Math.min(i + 1, times.length - 1)] * f;
    };
  }

  /** Rows [first, end) of a series whose sample times fall in [start, stop) (binary search on its clock). */
  rowsWithin(info: ElectricalSeriesInfo, start: number, stop: number, timeOf = this.clock(info)): [number, number] {
    return [searchSorted(timeOf, start, info.shape[0]), searchSorted(timeOf, stop, info.shape[0])];
  }

  /** Electrode group names of a series' channels. */
  channelGroups(info: ElectricalSeriesInfo): string[] {
    // a region that does not match the channels cannot say which electrode a channel is (info warns)
    if (info.electrodeRows.length !== info.shape[1])
      throw new NwbFormatError(
        this.nwb.name,
        `${info.path}/electrodes`,
        `one electrodes-table row per channel (${info.shape[1]}), got ${info.electrodeRows.length}`,
      );
    const electrodes = this.nwb.electrodes();
    return info.electrodeRows.map((r) => electrodes?.groupNames[r] ?? 'electrodes');
  }
}

/**
 * A list of [start, stop] (s) given directly as an interval, checked and merged; `option` names
 * it in the error.
 *
 * @example
 * intervalList([[0, 30], [20, 40]]); // [[0, 40]]
 */
export function intervalList(spec: unknown, option = 'interval'): Interval[] {
  if (
    !Array.isArray(spec) ||
    spec.length === 0 ||
    !spec.every(
      (i) => Array.isArray(i) && i.length === 2 && Number.isFinite(i[0]) && Number.isFinite(i[1]) && i[1] > i[0],
    )
  ) {
    throw new ParameterError(option, 'an interval name or a list of [start, stop] with stop > start (s)', spec);
  }
  return mergeIntervals(spec as Interval[]);
}

/**
 * Centimetres per unit of a position unit string: metres, centimetres, millimetres, or pixels
 * with `pixelsPerCm`. `where` names the series in the error.
 */
export function cmPerUnit(unit: string, where: string, pixelsPerCm?: number): number {
  const u = unit.trim();
  for (const [re, scale] of CM_PER_UNIT) if (re.test(u)) return scale;
  if (/^(px|pixels?)$/i.test(u)) {
    if (!(pixelsPerCm! > 0))
      throw new ParameterError(
        'pixelsPerCm',
        `the camera's pixels per cm for ${where} (its unit is '${unit}')`,
        pixelsPerCm,
      );
    return 1 / pixelsPerCm!;
  }
  throw new NwbFormatError(
    where.split(': ')[0],
    where.split(': ')[1] ?? '',
    `a position unit of metres, centimetres, millimetres or pixels, got '${unit}'`,
  );
}

/** Electrode positions (electrodes × coordinates) from rel_x/rel_y(/rel_z), else x/y/z, or undefined when absent. */
function electrodePositions(columns: Record<string, { values: unknown }>): Matrix<Float64Array> | undefined {
  for (const axes of [
    ['rel_x', 'rel_y', 'rel_z'],
    ['x', 'y', 'z'],
  ]) {
    const cols = axes.map((a) => columns[a]?.values).filter((v): v is Float64Array => v instanceof Float64Array);
    if (cols.length < 2) continue;
    const rows = cols[0].length;
    const data = new Float64Array(rows * cols.length);
    for (let r = 0; r < rows; r++) for (let k = 0; k < cols.length; k++) data[r * cols.length + k] = cols[k][r];
    return { data, rows, cols: cols.length };
  }
  return undefined;
}

/** The given rows of a matrix, in that order. */
function selectRows(m: Matrix<Float64Array>, rows: readonly number[]): Matrix<Float64Array> {
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  return { data, rows: rows.length, cols: m.cols };
}

/**
 * Opens a file input as a Session (its path, or its Blob: in a browser worker read in place
 * through WORKERFS), runs `fn`, and always closes it.
 */
export async function withSession<T>(
  input: StepInput,
  role: string,
  fn: (session: Session) => Promise<T> | T,
): Promise<T> {
  if (input.kind !== 'file') throw new ParameterError(role, 'an NWB file', `result ${input.key}`);
  const nwb = input.blob ? await openNwb(input.blob, { name: input.path }) : await openNwb(input.path);
  try {
    return await fn(new Session(nwb));
  } finally {
    nwb.close();
  }
}

/** A result input's data, or a typed error naming the role. */
export function resultData(input: StepInput | undefined, role: string): ResultData {
  if (!input || input.kind !== 'result')
    throw new ParameterError(role, 'a stored result', input ? input.path : 'nothing');
  return input.data;
}
