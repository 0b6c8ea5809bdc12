import { ParameterError, checkOptionNames, isNode, type Matrix } from '@spyglass-wasm/core';
import { type H5, type H5Runtime, loadH5wasm } from '../h5/h5wasm.js';
import specs from '../specs/nwb-specs.json';
import { temporaryPath } from './temp-path.js';
import { type ColumnInput, createTable, markTyped, writeColumn } from './typed-objects.js';
import { nodeFs, nodePath } from '../platform.node.js';

/** Session fields of a new file (an analysis file usually copies its source's). */
export interface NwbFileInput {
  identifier: string;
  sessionDescription: string;
  /** ISO 8601 with time zone. */
  sessionStartTime: string;
  timestampsReferenceTime?: string;
  experimenter?: string[];
  institution?: string;
  lab?: string;
  experimentDescription?: string;
}

export interface ElectrodeGroupInput {
  name: string;
  description?: string;
  location?: string;
  /** Device name (created if missing). */
  device?: string;
}

export interface ElectrodesInput {
  groups: ElectrodeGroupInput[];
  /** Electrode ids, one per row (default 0..n-1). */
  ids?: ArrayLike<number>;
  /** Group name of each row. */
  group: readonly string[];
  location?: readonly string[];
  x?: ArrayLike<number>;
  y?: ArrayLike<number>;
  z?: ArrayLike<number>;
  columns?: Record<string, ColumnInput>;
}

export interface SeriesTimeInput {
  /** Regular sampling: rate (Hz) and starting time (s). */
  rate?: number;
  startingTime?: number;
  /** Or one timestamp per sample (s): all of them, or with `timestampsInWindows` those of `data`'s rows only. */
  timestamps?: Float64Array;
  /**
   * `timestamps` holds the first rows' times only and each `append` brings its rows' own: the
   * timestamps are written in windows like the data, never whole in memory.
   */
  timestampsInWindows?: boolean;
  /**
   * Or the timestamps of another series of the file (its group path), shared through an HDF5 soft
   * link as pynwb writes `timestamps=<other series>`; they grow with that series' appends.
   */
  timestampsOf?: string;
}

export interface ElectricalSeriesInput extends SeriesTimeInput {
  name: string;
  /** Processing module (default 'ecephys'). */
  module?: string;
  /** Write to /acquisition (raw data) instead of a processing module (module and container are then ignored). */
  acquisition?: boolean;
  /** Container inside the module: 'LFP' (default), 'FilteredEphys', or null for none. */
  container?: string | null;
  /** First samples (time × channels); more can be appended. */
  data: Matrix<Float32Array | Float64Array | Int16Array>;
  /** Rows of the electrodes table, one per channel. */
  electrodes: readonly number[];
  description?: string;
  filtering?: string;
  conversion?: number;
  unit?: string;
  /** Rows per gzip chunk (default: about 1 MiB). */
  chunkRows?: number;
}

export interface UnitsInput {
  spikeTimes: readonly Float64Array[];
  /** Electrode group name per unit (must be among the written groups). */
  electrodeGroups?: readonly string[];
  /** Extra per-unit columns: quality metrics, labels. */
  columns?: Record<string, ColumnInput>;
  /** Mean waveform per unit: units × samples (× channels) float32. */
  waveformMean?: { data: Float32Array; shape: number[] };
  description?: string;
}

export interface TimeIntervalsInput {
  name: string;
  /** Processing module; default: the file's /intervals group. */
  module?: string;
  description?: string;
  start: ArrayLike<number>;
  stop: ArrayLike<number>;
  columns?: Record<string, ColumnInput>;
}

export interface TimeSeriesInput extends SeriesTimeInput {
  name: string;
  module: string;
  /** Container (e.g. 'Position' for a SpatialSeries); null for none. */
  container?: string | null;
  data: Matrix<Float32Array | Float64Array>;
  unit: string;
  description?: string;
  /** Write a SpatialSeries (with reference_frame) instead of a plain TimeSeries. */
  spatial?: { referenceFrame: string };
}

/** Chunks of a series written to HDF5 at a time (about 8 MiB of samples). */
const SLAB_CHUNKS = 8;

/** Appends samples to a series written in chunks. */
export interface SeriesAppender {
  readonly rows: number;
  /** Appends rows; `timestamps` (one per row) only, and always, for a series written `timestampsInWindows`. */
  append(rows: Matrix<Float32Array | Float64Array | Int16Array>, timestamps?: Float64Array): void;
}

/** Rows of a timestamps dataset written in windows per HDF5 chunk (1 MiB of float64). */
const TIMESTAMP_CHUNK_ROWS = 1 << 17;

const CONTAINER_TYPES: Record<string, string> = {
  LFP: 'LFP',
  FilteredEphys: 'FilteredEphys',
  Position: 'Position',
  BehavioralTimeSeries: 'BehavioralTimeSeries',
};

/** A path whose folder exists and is writable, and that is not itself a folder: else one ParameterError naming it. */
async function checkWritable(path: string): Promise<void> {
  const { accessSync, constants, statSync } = await nodeFs();
  const { dirname } = await nodePath();
  const folder = dirname(path);
  const fail = (why: string): never => {
    throw new ParameterError('path', `a file path in an existing, writable folder (${why})`, path);
  };
  let st;
  try {
    st = statSync(folder);
  } catch {
    return fail(`the folder ${folder} does not exist`);
  }
  if (!st.isDirectory()) fail(`${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    fail(`the folder ${folder} is not writable`);
  }
  try {
    if (statSync(path).isDirectory()) fail(`${path} is a folder`);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
  }
}

/**
 * Writes an analysis NWB file that pynwb opens: root fields, namespace/neurodata_type/object_id on
 * every typed object, the core and hdmf specifications cached under /specifications, pynwb's
 * dtypes. Written under a temporary name in the same folder and renamed on close, so a crash never
 * leaves a partial file under the real name.
 *
 * @example
 * const w = await NwbWriter.create('out.nwb', { identifier, sessionDescription, sessionStartTime });
 * w.addElectrodes({ groups: [{ name: 'tetrode0' }], group: ['tetrode0', 'tetrode0', 'tetrode0', 'tetrode0'] });
 * w.addElectricalSeries({ name: 'lfp', data: lfp, rate: 1000, electrodes: [0, 1, 2, 3] });
 * await w.close();
 */
export class NwbWriter {
  private readonly groups = new Set<string>();
  private closed = false;

  private constructor(
    private readonly rt: H5Runtime,
    private readonly file: H5.File,
    private readonly finalPath: string | null,
    private readonly writePath: string,
  ) {}

  /** Starts a file at `path` (Node), or in memory when `path` is null (close() returns its bytes). */
  static async create(path: string | null, input: NwbFileInput): Promise<NwbWriter> {
    for (const k of ['identifier', 'sessionDescription', 'sessionStartTime'] as const) {
      if (typeof input[k] !== 'string' || !input[k]) throw new ParameterError(k, 'a non-empty string', input[k]);
    }
    if (Number.isNaN(Date.parse(input.sessionStartTime)))
      throw new ParameterError('sessionStartTime', 'an ISO 8601 date-time', input.sessionStartTime);
    if (path !== null && !isNode) throw new ParameterError('path', 'null (in memory) outside Node', path);
    if (path !== null) await checkWritable(path);
    const rt = await loadH5wasm();
    const writePath =
      path === null ? `/spyglass-out-${Date.now()}-${Math.random().toString(36).slice(2)}.nwb` : temporaryPath(path);
    let file: H5.File;
    try {
      file = new rt.h5.File(writePath, 'w');
      if (!file.file_id || Number(file.file_id) < 0) throw new Error('no file id');
    } catch (err) {
      throw new ParameterError(
        'path',
        'a file HDF5 can create',
        `${path ?? writePath} (${err instanceof Error ? err.message.split('\n').pop()!.trim() : err})`,
      );
    }
    const w = new NwbWriter(rt, file, path, writePath);
    w.writeRoot(input);
    return w;
  }

  private writeRoot(input: NwbFileInput): void {
    const f = this.file;
    markTyped(f, 'core', 'NWBFile');
    f.create_attribute('nwb_version', specs.nwb_version);
    const now = new Date().toISOString();
    f.create_dataset({ name: 'file_create_date', data: [now] });
    f.create_dataset({ name: 'identifier', data: input.identifier });
    f.create_dataset({ name: 'session_description', data: input.sessionDescription });
    f.create_dataset({ name: 'session_start_time', data: input.sessionStartTime });
    f.create_dataset({
      name: 'timestamps_reference_time',
      data: input.timestampsReferenceTime ?? input.sessionStartTime,
    });
    for (const g of [
      'acquisition',
      'analysis',
      'processing',
      'stimulus',
      'stimulus/presentation',
      'stimulus/templates',
      'general',
      'general/devices',
      'general/extracellular_ephys',
    ]) {
      this.ensureGroup(`/${g}`);
    }
    if (input.experimenter?.length) f.create_dataset({ name: 'general/experimenter', data: [...input.experimenter] });
    if (input.institution) f.create_dataset({ name: 'general/institution', data: input.institution });
    if (input.lab) f.create_dataset({ name: 'general/lab', data: input.lab });
    if (input.experimentDescription)
      f.create_dataset({ name: 'general/experiment_description', data: input.experimentDescription });
    const spec = this.ensureGroup('/specifications');
    for (const [ns, versions] of Object.entries(
      specs.namespaces as Record<string, Record<string, Record<string, string>>>,
    )) {
      const nsGroup = spec.create_group(ns);
      for (const [version, docs] of Object.entries(versions)) {
        const g = nsGroup.create_group(version);
        for (const [name, text] of Object.entries(docs)) g.create_dataset({ name, data: text });
      }
    }
    f.create_attribute('.specloc', spec.create_reference());
  }

  private ensureGroup(path: string): H5.Group {
    if (!this.groups.has(path) && !this.file.get(path)) this.file.create_group(path.slice(1));
    this.groups.add(path);
    return this.file.get(path) as H5.Group;
  }

  /** A processing module (created on first use). */
  private module(name: string, description = name): H5.Group {
    const path = `/processing/${name}`;
    if (!this.file.get(path)) {
      const g = this.ensureGroup(path);
      markTyped(g, 'core', 'ProcessingModule');
      g.create_attribute('description', description);
    }
    return this.file.get(path) as H5.Group;
  }

  private container(module: string, name: string | null | undefined): H5.Group {
    const mod = this.module(module);
    if (!name) return mod;
    const path = `/processing/${module}/${name}`;
    if (!this.file.get(path)) {
      const g = this.ensureGroup(path);
      markTyped(g, 'core', CONTAINER_TYPES[name] ?? 'NWBDataInterface');
    }
    return this.file.get(path) as H5.Group;
  }

  /**
   * Adds a Device under /general/devices (once per name; the description defaults to the name).
   *
   * @example
   * writer.addDevice('probe0', { description: '32-channel silicon probe' });
   */
  addDevice(name: string, options: { description?: string } = {}): void {
    checkOptionNames('addDevice', options, ['description']);
    const description = options.description ?? name;
    const path = `/general/devices/${name}`;
    if (this.file.get(path)) return;
    const g = this.ensureGroup(path);
    markTyped(g, 'core', 'Device');
    g.create_attribute('description', description);
  }

  /** Writes electrode groups and the electrodes table (needed before ElectricalSeries and Units groups). */
  addElectrodes(input: ElectrodesInput): void {
    const n = input.group.length;
    for (const grp of input.groups) {
      const device = grp.device ?? 'device';
      this.addDevice(device);
      const g = this.ensureGroup(`/general/extracellular_ephys/${grp.name}`);
      markTyped(g, 'core', 'ElectrodeGroup');
      g.create_attribute('description', grp.description ?? grp.name);
      g.create_attribute('location', grp.location ?? 'unknown');
      g.create_soft_link(`/general/devices/${device}`, 'device');
    }
    const known = new Set(input.groups.map((g) => g.name));
    input.group.forEach((name) => {
      if (!known.has(name))
        throw new ParameterError('group', `names among the electrode groups (${[...known].join(', ')})`, name);
    });
    const columns: Record<string, ColumnInput> = {};
    if (input.x) columns.x = { values: input.x, description: 'x coordinate' };
    if (input.y) columns.y = { values: input.y, description: 'y coordinate' };
    if (input.z) columns.z = { values: input.z, description: 'z coordinate' };
    columns.location = {
      values: input.location ?? input.group.map((g) => input.groups.find((x) => x.name === g)?.location ?? 'unknown'),
      description: 'the location of channel within the subject e.g. brain region',
    };
    columns.group_name = {
      values: input.group,
      description: 'the name of the ElectrodeGroup this electrode is a part of',
    };
    Object.assign(columns, input.columns ?? {});
    const table = createTable(
      this.ensureGroup('/general/extracellular_ephys'),
      'electrodes',
      { namespace: 'hdmf-common', neurodataType: 'DynamicTable' },
      'metadata about extracellular electrodes',
      [...Object.keys(columns), 'group'],
      input.ids ?? Array.from({ length: n }, (_, i) => i),
    );
    for (const [name, col] of Object.entries(columns)) writeColumn(table, name, col, n);
    const refs = input.group.map((g) =>
      (this.file.get(`/general/extracellular_ephys/${g}`) as H5.Group).create_reference(),
    );
    const ds = table.create_dataset({ name: 'group', data: refs });
    markTyped(ds, 'hdmf-common', 'VectorData');
    ds.create_attribute('description', 'a reference to the ElectrodeGroup this electrode is a part of');
  }

  /** Writes an ElectricalSeries (e.g. LFP) chunked with gzip; returns an appender for later samples. */
  addElectricalSeries(input: ElectricalSeriesInput): SeriesAppender {
    const electrodes = this.file.get('/general/extracellular_ephys/electrodes') as H5.Group | null;
    if (!electrodes)
      throw new ParameterError('electrodes', 'an electrodes table written first (addElectrodes)', input.electrodes);
    const { cols } = input.data;
    if (input.electrodes.length !== cols)
      throw new ParameterError('electrodes', `one electrodes-table row per channel (${cols})`, input.electrodes);
    this.checkTime(input, input.data.rows);
    const parent = input.acquisition
      ? this.ensureGroup('/acquisition')
      : this.container(input.module ?? 'ecephys', input.container === undefined ? 'LFP' : input.container);
    const g = parent.create_group(input.name);
    markTyped(g, 'core', 'ElectricalSeries');
    g.create_attribute('description', input.description ?? 'no description');
    g.create_attribute('comments', 'no comments');
    if (input.filtering) g.create_attribute('filtering', input.filtering);
    const data = this.chunkedData(g, input.data, input.chunkRows, {
      conversion: input.conversion ?? 1,
      unit: input.unit ?? 'volts',
    });
    const appender = withTimestamps(data, this.writeTime(g, input));
    const region = g.create_dataset({
      name: 'electrodes',
      data: BigInt64Array.from(input.electrodes, (i) => BigInt(i)),
    });
    markTyped(region, 'hdmf-common', 'DynamicTableRegion');
    region.create_attribute('description', 'electrodes of this series');
    region.create_attribute('table', electrodes.create_reference());
    return appender;
  }

  /**
   * Writes a TimeSeries or SpatialSeries (e.g. decoded position, a posterior) in a processing module;
   * returns an appender for later samples. Their timestamps are given whole in `timestamps`, or
   * window by window (`timestampsInWindows`: the first rows' in `timestamps`, each append's with
   * it), or shared with another series (`timestampsOf`).
   *
   * @example
   * const s = writer.addTimeSeries({ name: 'speed', module: 'behavior', unit: 'cm/s', data: first,
   *   timestamps: firstTimes, timestampsInWindows: true });
   * s.append(next, nextTimes);
   * writer.addTimeSeries({ name: 'accel', module: 'behavior', unit: 'cm/s^2', data: accel,
   *   timestampsOf: '/processing/behavior/speed' });
   */
  addTimeSeries(input: TimeSeriesInput): SeriesAppender {
    this.checkTime(input, input.data.rows);
    const parent = this.container(input.module, input.container ?? null);
    const g = parent.create_group(input.name);
    markTyped(g, 'core', input.spatial ? 'SpatialSeries' : 'TimeSeries');
    g.create_attribute('description', input.description ?? 'no description');
    g.create_attribute('comments', 'no comments');
    const data = this.chunkedData(g, input.data, undefined, { conversion: 1, unit: input.unit });
    const appender = withTimestamps(data, this.writeTime(g, input));
    if (input.spatial) g.create_dataset({ name: 'reference_frame', data: input.spatial.referenceFrame });
    return appender;
  }

  /** Writes the Units table. */
  addUnits(input: UnitsInput): void {
    const n = input.spikeTimes.length;
    const columns: Record<string, ColumnInput> = {
      spike_times: { values: input.spikeTimes, description: 'the spike times for each unit' },
      ...(input.columns ?? {}),
    };
    if (input.waveformMean)
      columns.waveform_mean = {
        values: input.waveformMean,
        description: 'the spike waveform mean for each spike unit',
      };
    const names = [...Object.keys(columns), ...(input.electrodeGroups ? ['electrode_group'] : [])];
    const table = createTable(
      this.file,
      'units',
      { namespace: 'core', neurodataType: 'Units' },
      input.description ?? 'units',
      names,
      Array.from({ length: n }, (_, i) => i),
    );
    for (const [name, col] of Object.entries(columns)) writeColumn(table, name, col, n);
    if (input.waveformMean) (table.get('waveform_mean') as H5.Dataset).create_attribute('unit', 'volts');
    if (input.electrodeGroups) {
      if (input.electrodeGroups.length !== n)
        throw new ParameterError('electrodeGroups', `one group per unit (${n})`, input.electrodeGroups.length);
      const refs = input.electrodeGroups.map((name) => {
        const grp = this.file.get(`/general/extracellular_ephys/${name}`) as H5.Group | null;
        if (!grp)
          throw new ParameterError('electrodeGroups', 'names of written electrode groups (addElectrodes first)', name);
        return grp.create_reference();
      });
      const ds = table.create_dataset({ name: 'electrode_group', data: refs });
      markTyped(ds, 'hdmf-common', 'VectorData');
      ds.create_attribute('description', 'the electrode group that each spike unit came from');
    }
  }

  /** Writes a TimeIntervals table (e.g. ripple_times). */
  addTimeIntervals(input: TimeIntervalsInput): void {
    const n = input.start.length;
    if (input.stop.length !== n) throw new ParameterError('stop', `one stop per start (${n})`, input.stop.length);
    const parent = input.module ? this.module(input.module) : this.ensureGroup('/intervals');
    const columns: Record<string, ColumnInput> = {
      start_time: { values: input.start, description: 'Start time of epoch, in seconds' },
      stop_time: { values: input.stop, description: 'Stop time of epoch, in seconds' },
      ...(input.columns ?? {}),
    };
    const table = createTable(
      parent,
      input.name,
      { namespace: 'core', neurodataType: 'TimeIntervals' },
      input.description ?? input.name,
      Object.keys(columns),
      Array.from({ length: n }, (_, i) => i),
    );
    for (const [name, col] of Object.entries(columns)) writeColumn(table, name, col, n);
  }

  /** Writes a generic DynamicTable in a processing module (or /analysis when module is omitted). */
  addTable(input: {
    name: string;
    module?: string;
    description?: string;
    ids?: ArrayLike<number>;
    columns: Record<string, ColumnInput>;
  }): void {
    const first = Object.values(input.columns)[0];
    const n =
      input.ids?.length ??
      (first
        ? 'shape' in (first.values as object)
          ? (first.values as { shape: number[] }).shape[0]
          : (first.values as ArrayLike<unknown>).length
        : 0);
    const parent = input.module ? this.module(input.module) : this.ensureGroup('/analysis');
    const table = createTable(
      parent,
      input.name,
      { namespace: 'hdmf-common', neurodataType: 'DynamicTable' },
      input.description ?? input.name,
      Object.keys(input.columns),
      input.ids ?? Array.from({ length: n }, (_, i) => i),
    );
    for (const [name, col] of Object.entries(input.columns)) writeColumn(table, name, col, n);
  }

  /** Stores the file's provenance record (JSON) as /analysis/spyglass_provenance. */
  setProvenance(record: unknown): void {
    this.addTable({
      name: 'spyglass_provenance',
      description: 'Spyglass-Wasm provenance record of this analysis file (JSON)',
      columns: {
        record: {
          values: [typeof record === 'string' ? record : JSON.stringify(record)],
          description: 'provenance record, JSON',
        },
      },
    });
  }

  /**
   * Writes the series' time: rate, whole timestamps, a link to another series' timestamps, or the
   * first window of timestamps (then returns how to append the next windows').
   */
  private writeTime(g: H5.Group, t: SeriesTimeInput): ((times: Float64Array) => void) | undefined {
    if (t.timestampsOf !== undefined) {
      g.create_soft_link(linkedTimestamps(t.timestampsOf), 'timestamps');
    } else if (t.timestamps && t.timestampsInWindows) {
      return this.timestampsInWindows(g, t.timestamps);
    } else if (t.timestamps) {
      const ds = g.create_dataset({ name: 'timestamps', data: t.timestamps });
      ds.create_attribute('interval', 1, null, '<i');
      ds.create_attribute('unit', 'seconds');
    } else {
      // a positive rate (checkTime)
      const ds = g.create_dataset({ name: 'starting_time', data: t.startingTime ?? 0, dtype: '<d' });
      ds.create_attribute('rate', t.rate as number, null, '<d');
      ds.create_attribute('unit', 'seconds');
    }
  }

  /** Bad time input as one ParameterError before anything of the series is written. */
  private checkTime(t: SeriesTimeInput, rows: number): void {
    if (t.timestampsOf !== undefined) {
      const target = linkedTimestamps(t.timestampsOf);
      if (t.timestamps || t.timestampsInWindows || !(this.file.get(target) && this.file.get(t.timestampsOf)))
        throw new ParameterError(
          'timestampsOf',
          'the path of a series written before with timestamps (and no timestamps of its own)',
          t.timestampsOf,
        );
    } else if (t.timestampsInWindows && t.timestamps?.length !== rows)
      throw new ParameterError('timestamps', `the first window's ${rows} timestamps`, t.timestamps?.length ?? 'none');
    else if (!t.timestamps && !(t.rate && t.rate > 0))
      throw new ParameterError('rate', 'a positive sampling rate, or timestamps', t.rate);
  }

  /** A resizable timestamps dataset holding `first`; returns how to append more. */
  private timestampsInWindows(g: H5.Group, first: Float64Array): (times: Float64Array) => void {
    const ds = g.create_dataset({
      name: 'timestamps',
      data: first,
      shape: [first.length],
      maxshape: [null],
      chunks: [TIMESTAMP_CHUNK_ROWS],
    });
    ds.create_attribute('interval', 1, null, '<i');
    ds.create_attribute('unit', 'seconds');
    const append = rowAppender(ds, first.length);
    return (times) => append(times, times.length);
  }

  private chunkedData(
    g: H5.Group,
    data: Matrix<Float32Array | Float64Array | Int16Array>,
    chunkRows: number | undefined,
    attrs: { conversion: number; unit: string },
  ): SeriesAppender {
    const { rows, cols } = data;
    const rowsPerChunk = Math.max(
      1,
      chunkRows ?? Math.floor((1 << 20) / Math.max(1, cols * data.data.BYTES_PER_ELEMENT)),
    );
    // written a slab of chunks at a time: h5wasm copies what it writes into its own memory, so a
    // long series never needs a second whole copy there
    const slabRows = rowsPerChunk * SLAB_CHUNKS;
    const firstRows = Math.min(rows, slabRows);
    const ds = g.create_dataset({
      name: 'data',
      data: data.data.subarray(0, firstRows * cols),
      shape: [firstRows, cols],
      maxshape: [null, cols],
      chunks: [Math.min(rowsPerChunk, Math.max(rows, 1)), cols],
      compression: 'gzip',
      compression_opts: 4,
    });
    ds.create_attribute('conversion', attrs.conversion, null, '<d');
    ds.create_attribute('offset', 0, null, '<d');
    ds.create_attribute('resolution', -1, null, '<d');
    ds.create_attribute('unit', attrs.unit);
    let total = firstRows;
    const appendRows = rowAppender(ds, firstRows, cols);
    const appender: SeriesAppender = {
      get rows() {
        return total;
      },
      append(more) {
        if (more.cols !== cols) throw new ParameterError('rows', `${cols} channels`, `${more.cols} channels`);
        appendRows(more.data.subarray(0, more.rows * cols), more.rows);
        total += more.rows;
      },
    };
    for (let a = firstRows; a < rows; a += slabRows) {
      const b = Math.min(rows, a + slabRows);
      appender.append({ data: data.data.subarray(a * cols, b * cols) as typeof data.data, rows: b - a, cols });
    }
    return appender;
  }

  /**
   * Finishes the file: closes it and renames it to its real name (Node), or returns its bytes
   * (in memory).
   */
  async close(): Promise<Uint8Array | string> {
    if (this.closed) throw new ParameterError('writer', 'an open writer', 'closed');
    this.closed = true;
    this.file.close();
    if (this.finalPath === null) {
      const bytes = this.rt.FS.readFile(this.writePath);
      this.rt.FS.unlink(this.writePath);
      return bytes;
    }
    const { renameSync } = await nodeFs();
    renameSync(this.writePath, this.finalPath);
    return this.finalPath;
  }

  /** Abandons the file: nothing is left under the real name or the temporary one. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.file.close();
    } finally {
      if (this.finalPath === null) this.rt.FS.unlink(this.writePath);
      else (await nodeFs()).rmSync(this.writePath, { force: true });
    }
  }
}

/** The timestamps dataset of the series at `path`. */
const linkedTimestamps = (path: string) => `${path.replace(/\/$/, '')}/timestamps`;

/** A series' data appender that appends each window's timestamps too when they come in windows. */
function withTimestamps(data: SeriesAppender, appendTimes: ((t: Float64Array) => void) | undefined): SeriesAppender {
  return {
    get rows() {
      return data.rows;
    },
    append(rows, timestamps) {
      if (appendTimes && timestamps?.length !== rows.rows)
        throw new ParameterError('timestamps', `one per appended row (${rows.rows})`, timestamps?.length ?? 'none');
      if (!appendTimes && timestamps)
        throw new ParameterError(
          'timestamps',
          'none (the series was written with whole timestamps, a rate or timestampsOf)',
          timestamps.length,
        );
      data.append(rows);
      if (appendTimes && timestamps) appendTimes(timestamps);
    },
  };
}

/**
 * How to append rows to a dataset made with `maxshape` `[null]` (`cols` undefined) or
 * `[null, cols]`: grow it, then write the new rows' slice.
 */
function rowAppender(
  ds: H5.Dataset,
  firstRows: number,
  cols?: number,
): (values: Float32Array | Float64Array | Int16Array, rows: number) => void {
  let total = firstRows;
  return (values, rows) => {
    if (rows === 0) return;
    const end = total + rows;
    if (cols === undefined) {
      ds.resize([end]);
      ds.write_slice([[total, end]], values);
    } else {
      ds.resize([end, cols]);
      ds.write_slice(
        [
          [total, end],
          [0, cols],
        ],
        values,
      );
    }
    total = end;
  };
}
