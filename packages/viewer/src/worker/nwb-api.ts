// Everything the app asks of an open NWB file, in one object that lives in the Web Worker (and in
// Node for the tests): reads are synchronous inside, so the page never blocks on HDF5 or filters.
import { ParameterError } from '@spyglass-wasm/core';
import * as Comlink from 'comlink';
import { butter, commonReference, float32DesignError, sosfiltfilt } from '@spyglass-wasm/dsp-wasm';
import { type NwbFile, type NwbSource, openNwb } from '@spyglass-wasm/nwb-io';
import type { TreeEntry } from '../lib/tree.js';
import { type Decimated, minMaxDecimate, padRows, rowsForWindow } from '../lib/windowing.js';

/** Session and subject metadata, and what the file holds, for the overview page. */
export interface FileSummary {
  name: string;
  metadata: NwbFile['metadata'];
  series: {
    path: string;
    name: string;
    shape: [number, number];
    rate: number;
    start: number;
    end: number;
    unit: string;
    dtype: string;
    chunks: number[] | null;
    electrodeRows: number[];
    warnings: string[];
  }[];
  electrodes?: {
    ids: number[];
    groupNames: string[];
    locations: string[];
    colnames: string[];
    columns: Record<string, unknown[]>;
  };
  hasUnits: boolean;
  spatial: string[];
  intervals: string[];
}

/** A table as the page shows it: scalar cells as they are, ragged/2-D cells as summaries. */
export interface TableData {
  path: string;
  neurodataType?: string;
  description?: string;
  ids: number[];
  colnames: string[];
  descriptions: Record<string, string>;
  /** Rows of cells: numbers, strings, or a short text for ragged and array cells. */
  rows: (number | string)[][];
}

export interface TraceRequest {
  path: string;
  /** Window in seconds [t0, t1). */
  t0: number;
  t1: number;
  channels: number[];
  /** Zero-phase Butterworth band-pass [low, high] Hz (order 3, as SpikeInterface's default), or null. */
  bandpass?: [number, number] | null;
  /** Subtract the median across all channels at every sample before filtering. */
  commonRef?: boolean;
  /** Pixels across: the window comes back as at most this many min/max pairs per channel. */
  buckets: number;
}

export interface TraceWindow extends Decimated {
  t0: number;
  t1: number;
  rows: [number, number];
  rate: number;
  channels: number[];
  /** Chunks read from the file for this window (cache misses) and from cache. */
  chunkReads: number;
  cacheHits: number;
  /** Time the worker spent on this window, ms: in all, and reading (with the reference), filtering, decimating. */
  workerMs: number;
  stageMs: { read: number; filter: number; decimate: number };
}

export interface UnitsData {
  ids: number[];
  spikeTimes: Float64Array[];
  table: TableData;
  /** waveform_mean per unit (samples × channels flattened), with its shape, when the table has it. */
  waveforms?: { values: Float64Array[]; samples: number; channels: number; rate?: number };
  /** spike_amplitudes per unit (file units, aligned with spikeTimes), when the table has that ragged column. */
  amplitudes?: Float64Array[];
}

export interface PositionData {
  path: string;
  name: string;
  unit: string;
  referenceFrame?: string;
  t: Float64Array;
  data: Float64Array;
  dims: number;
}

export interface IntervalsData {
  name: string;
  path: string;
  start: Float64Array;
  stop: Float64Array;
}

/** Folders walked for the tree ('/specifications' is the cached schema, not data). */
const TREE_ROOTS = ['/acquisition', '/processing', '/analysis', '/intervals', '/units', '/stimulus', '/general'];
const MAX_TREE_NODES = 5000;
/** Largest window (values) whose read buffer is kept for the next redraw: 16 M float32, 64 MB. */
const SCRATCH_KEEP = 16 * 2 ** 20;

/**
 * An NWB file opened in the worker, with the reads the viewer needs.
 *
 * @example
 * const api = new NwbApi();
 * await api.open('https://example.org/session.nwb');
 * const window = await api.traces({ path: '/acquisition/e-series', t0: 0, t1: 1, channels: [0, 1], buckets: 1000 });
 */
export class NwbApi {
  private nwb?: NwbFile;
  private series = new Map<string, ReturnType<NwbFile['series']>>();
  private scratchBuffer = new Float32Array(0);

  async open(source: NwbSource): Promise<FileSummary> {
    this.close();
    this.nwb = await openNwb(source, { cacheBlocks: 512 });
    return this.summary();
  }

  close(): void {
    this.nwb?.close();
    this.nwb = undefined;
    this.series.clear();
    this.scratchBuffer = new Float32Array(0);
  }

  private file(): NwbFile {
    if (!this.nwb) throw new ParameterError('file', 'an open NWB file (open one first)', 'none');
    return this.nwb;
  }

  summary(): FileSummary {
    const nwb = this.file();
    const el = nwb.electrodes();
    return {
      name: nwb.name,
      metadata: nwb.metadata,
      // Events series (snippets: events × channels × samples) are in the tree, not drawable as traces.
      series: nwb
        .electricalSeries()
        .filter((s) => s.kind !== 'events')
        .map((s) => ({
          path: s.path,
          name: s.name,
          shape: [s.shape[0], s.shape[1]],
          rate: s.timing.rate,
          start: s.timing.start,
          end: s.timing.end,
          unit: s.unit,
          dtype: s.dtype,
          chunks: s.chunks,
          electrodeRows: s.electrodeRows,
          warnings: s.warnings,
        })),
      electrodes: el && {
        ids: Array.from(el.ids),
        groupNames: el.groupNames,
        locations: el.locations,
        colnames: el.colnames,
        columns: Object.fromEntries(Object.entries(el.columns).map(([k, c]) => [k, cells(c.values)])),
      },
      hasUnits: Boolean(nwb.object('/units')),
      spatial: nwb.position().map((p) => p.path),
      intervals: nwb.intervals().map((t) => t.path),
    };
  }

  /** Every object under the data folders, for the tree (DynamicTables are leaves: their columns are the table). */
  tree(): TreeEntry[] {
    const nwb = this.file();
    const out: TreeEntry[] = [];
    const visit = (path: string, depth: number) => {
      if (out.length >= MAX_TREE_NODES) return;
      const o = nwb.object(path);
      if (!o) return;
      out.push({
        path,
        kind: o.kind,
        neurodataType: o.neurodataType,
        description: o.description,
        shape: o.shape,
        dtype: o.dtype,
      });
      const isTable = o.kind === 'group' && o.children?.includes('id') && o.neurodataType !== undefined;
      const isTimeSeries = o.kind === 'group' && o.children?.includes('data') && o.neurodataType !== undefined;
      if (o.kind !== 'group' || isTable || isTimeSeries || depth > 6) return;
      for (const k of o.children ?? []) visit(`${path}/${k}`, depth + 1);
    };
    for (const root of TREE_ROOTS) visit(root, 0);
    return out;
  }

  /** Any DynamicTable, cells summarised for display. */
  table(path: string): TableData {
    return tableData(this.file().table(path));
  }

  /** Facts about one object: type, description, shape, and a few leading values of small datasets. */
  info(path: string): { object: ReturnType<NwbFile['object']>; preview?: string } {
    const nwb = this.file();
    const object = nwb.object(path);
    let preview: string | undefined;
    if (object?.kind === 'dataset' && (object.shape ?? []).reduce((a, b) => a * b, 1) <= 64) {
      try {
        preview =
          object.dtype?.includes('S') || object.dtype === 'string'
            ? nwb.text(path)
            : Array.from(nwb.numbers(path)).join(', ');
      } catch {
        preview = nwb.text(path);
      }
    }
    return { object, preview };
  }

  /**
   * A window of an ElectricalSeries: only its chunks are read; the common reference and the
   * band-pass run on the window (padded so the filter's edges fall outside), then min/max
   * decimation to `buckets` per channel. Values in µV.
   */
  traces(req: TraceRequest): TraceWindow {
    const started = performance.now();
    const s = this.seriesReader(req.path);
    const [nrows, ncols] = s.info.shape;
    const rate = s.info.timing.rate;
    const sampling = { rate, start: s.info.timing.start, rows: nrows };
    const rows = rowsForWindow(sampling, req.t0, req.t1);
    const pad = req.bandpass ? Math.min(Math.round(rate * 0.05), 4096) : 0;
    const padded = padRows(rows, pad, nrows);
    const before = { ...s.stats };
    const channels = req.channels.filter((c) => c >= 0 && c < ncols);
    const readChannels = req.commonRef ? Array.from({ length: ncols }, (_, i) => i) : channels;
    let m = s.read({
      rows: padded.rows,
      channels: readChannels,
      scale: 'microvolts',
      out: this.scratch((padded.rows[1] - padded.rows[0]) * readChannels.length),
    });
    const read = performance.now();
    if (req.commonRef) m = commonReference(m, { method: 'median' });
    const pick = req.commonRef ? channels : channels.map((_, i) => i);
    if (req.bandpass && m.rows > 3 * 19) {
      const [lo, hi] = req.bandpass;
      if (!(lo > 0 && hi > lo && hi < rate / 2))
        throw new ParameterError('bandpass', `0 < low < high < ${rate / 2} Hz (Nyquist of this series)`, req.bandpass);
      const sos = butter(3, [lo, hi], { btype: 'bandpass', fs: rate });
      // For display float32 is plenty when the design is well conditioned (the spike band at
      // 30 kHz: 1e-5 of RMS), and it skips 'auto''s float64 trial; a 1 Hz edge stays in float64.
      const precision = float32DesignError(sos) < 1e-4 ? 'float32' : 'float64';
      m = sosfiltfilt(sos, m, { precision, out: m.data }); // in place: the window is ours
    }
    const start = padded.offset,
      n = rows[1] - rows[0];
    const view = m.data.subarray(start * m.cols, (start + n) * m.cols);
    const t0 = sampling.start + rows[0] / rate;
    const filtered = performance.now();
    const dec = minMaxDecimate(view, n, m.cols, { t0, rate, buckets: req.buckets, channels: pick });
    const done = performance.now();
    // The arrays move to the page (transferred, not copied by structured clone).
    const buffers = [dec.x.buffer, ...dec.ys.map((y) => y.buffer)] as ArrayBuffer[];
    return Comlink.transfer(
      {
        ...dec,
        t0: req.t0,
        t1: req.t1,
        rows,
        rate,
        channels,
        chunkReads: s.stats.chunkReads - before.chunkReads,
        cacheHits: s.stats.cacheHits - before.cacheHits,
        workerMs: done - started,
        stageMs: { read: read - started, filter: filtered - read, decimate: done - filtered },
      },
      buffers,
    );
  }

  units(): UnitsData | undefined {
    const u = this.file().units();
    if (!u) return undefined;
    const wf = u.columns.waveform_mean;
    let waveforms: UnitsData['waveforms'];
    const shape = wf?.shape ?? [];
    if (wf && !wf.ragged && Array.isArray(wf.values) && wf.values[0] instanceof Float64Array) {
      waveforms = {
        values: wf.values as Float64Array[],
        samples: shape[1] ?? (wf.values[0] as Float64Array).length,
        channels: 1,
      };
    } else if (wf && !wf.ragged && wf.values instanceof Float64Array && shape.length === 3) {
      // (units × samples × channels) comes back flat: one slice per unit.
      const per = shape[1] * shape[2];
      const flat = wf.values;
      waveforms = {
        values: Array.from({ length: shape[0] }, (_, i) => flat.slice(i * per, (i + 1) * per)),
        samples: shape[1],
        channels: shape[2],
      };
    }
    const amps = u.columns.spike_amplitudes;
    const amplitudes =
      amps?.ragged && Array.isArray(amps.values) && amps.values.every((r) => r instanceof Float64Array)
        ? (amps.values as Float64Array[])
        : undefined;
    return { ids: Array.from(u.ids), spikeTimes: u.spikeTimes, table: tableData(u), waveforms, amplitudes };
  }

  position(): PositionData[] {
    return this.file()
      .position()
      .map((p) => ({
        path: p.path,
        name: p.name,
        unit: p.unit,
        referenceFrame: p.referenceFrame,
        t: p.timestamps,
        data: p.data.data,
        dims: p.data.cols,
      }));
  }

  intervals(): IntervalsData[] {
    return this.file()
      .intervals()
      .map((t) => ({
        name: t.name,
        path: t.path,
        start: Float64Array.from(t.intervals, (i) => i[0]),
        stop: Float64Array.from(t.intervals, (i) => i[1]),
      }));
  }

  /** For a URL: HTTP requests and bytes fetched so far, and the file's size. */
  transfer(): ReturnType<NwbFile['transfer']> {
    return this.nwb?.transfer();
  }

  /**
   * The float32 buffer windows are read into, kept between redraws so a redraw allocates (and
   * page-faults) no fresh 40 MB; a window larger than SCRATCH_KEEP gets its own array.
   */
  private scratch(values: number): Float32Array | undefined {
    if (values > SCRATCH_KEEP) return undefined;
    if (this.scratchBuffer.length < values) this.scratchBuffer = new Float32Array(values);
    return this.scratchBuffer;
  }

  private seriesReader(path: string) {
    let s = this.series.get(path);
    if (!s) {
      s = this.file().series(path, { cacheChunks: 32 });
      this.series.set(path, s);
    }
    return s;
  }
}

/** Column values as plain cells: numbers and strings kept, arrays summarised. */
function cells(values: ArrayLike<unknown>): unknown[] {
  return Array.from(values as ArrayLike<unknown>, (v) =>
    typeof v === 'number' || typeof v === 'string' ? v : summarize(v),
  );
}

function summarize(v: unknown): string {
  if (v instanceof Float64Array || Array.isArray(v)) {
    const a = Array.from(v as ArrayLike<unknown>);
    if (a.length <= 4)
      return `[${a.map((x) => (typeof x === 'number' ? round(x) : String(x).split('/').pop())).join(', ')}]`;
    return `[${a.length} values]`;
  }
  return String(v);
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}

function tableData(t: ReturnType<NwbFile['table']>): TableData {
  const colnames = t.colnames.filter((c) => t.columns[c]);
  const cols = colnames.map((c) => {
    const col = t.columns[c];
    const vals = cells(col.values);
    // Object references are HDF5 paths: the last part names the object.
    return vals.map((v) =>
      typeof v === 'string' && v.startsWith('/') && (col.values as unknown[]).length ? v.split('/').pop()! : v,
    ) as (number | string)[];
  });
  return {
    path: t.path,
    neurodataType: t.neurodataType,
    description: t.description,
    ids: Array.from(t.ids),
    colnames,
    descriptions: Object.fromEntries(colnames.map((c) => [c, t.columns[c].description ?? ''])),
    rows: Array.from(t.ids, (_, i) => cols.map((c) => c[i])),
  };
}
