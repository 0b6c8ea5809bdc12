import { NwbFormatError, ParameterError } from '@spyglass-wasm/core';
import { H5Reader, type SkippedObject } from '../read/h5-reader.js';
import { type DynamicTable, readDynamicTable } from '../read/dynamic-table.js';
import { type ElectricalSeriesInfo, ElectricalSeries, findElectricalSeries } from '../read/electrical-series.js';
import { ELECTRODES_PATH, type ElectrodesTable, readElectrodes } from '../read/electrodes.js';
import { type TimeIntervalsTable, readTimeIntervals } from '../read/intervals.js';
import { type NwbMetadata, readMetadata } from '../read/metadata.js';
import { type SpatialSeries, readSpatialSeries } from '../read/position.js';
import { type UnitsTable, readUnits } from '../read/units.js';
import { type OpenOptions, type OpenedH5, openH5 } from '../source/open-h5.js';
import type { NwbSource } from '../source/nwb-source.js';

/** One HDF5 object as seen when browsing a file: a group's child names, or a dataset's shape and type. */
export interface NwbObject {
  path: string;
  kind: 'group' | 'dataset';
  neurodataType?: string;
  description?: string;
  /** Groups: child names. */
  children?: string[];
  /** Datasets: shape and HDF5 element type. */
  shape?: number[];
  dtype?: string;
}

/** A processing module and the typed objects in it. */
export interface ProcessingModule {
  name: string;
  description?: string;
  /** Child name -> neurodata_type (undefined for untyped groups/datasets). */
  children: Record<string, string | undefined>;
}

/**
 * An open NWB file. Metadata is read on open (a file that is not NWB fails here); everything else
 * is read when asked, and sample data only by window.
 *
 * @example
 * const nwb = await openNwb('session.nwb');
 * const [raw] = nwb.electricalSeries();
 * const window = nwb.series(raw.path).read({ rows: [0, 30000], scale: 'microvolts' });
 * nwb.close();
 */
export class NwbFile {
  readonly name: string;
  readonly metadata: NwbMetadata;
  private readonly r: H5Reader;
  private readonly opened: OpenedH5;
  private electrodesCache?: ElectrodesTable | null;

  private constructor(opened: OpenedH5) {
    this.opened = opened;
    this.name = opened.name;
    this.r = new H5Reader(opened, opened.module as ConstructorParameters<typeof H5Reader>[1]);
    try {
      this.metadata = this.r.guard('/', () => readMetadata(this.r));
    } catch (err) {
      opened.close();
      throw err;
    }
  }

  /** For a remote file: HTTP requests and bytes fetched so far (undefined for local files). */
  transfer(): ReturnType<NonNullable<OpenedH5['transfer']>> | undefined {
    return this.opened.transfer?.();
  }

  static async open(source: NwbSource, options: OpenOptions = {}): Promise<NwbFile> {
    return new NwbFile(await openH5(source, options));
  }

  /** The electrodes table (undefined when the file has none). */
  electrodes(): ElectrodesTable | undefined {
    if (this.electrodesCache === undefined)
      this.electrodesCache = this.r.guard(ELECTRODES_PATH, () => readElectrodes(this.r)) ?? null;
    return this.electrodesCache ?? undefined;
  }

  /**
   * Every ElectricalSeries in acquisition and processing (raw and LFP, kind 'continuous'), then
   * events series (SpikeEventSeries, kind 'events'), then series that cannot be read (kind
   * 'unreadable', with why in `warnings`): an odd object is listed with a warning, never fatal.
   */
  electricalSeries(): ElectricalSeriesInfo[] {
    let ids: ArrayLike<number> = [];
    let known = false;
    try {
      const e = this.electrodes();
      ids = e?.ids ?? [];
      known = e !== undefined;
    } catch (err) {
      this.r.skipped.push({ path: ELECTRODES_PATH, reason: err instanceof Error ? err.message : String(err) });
    }
    return this.r.guard('/acquisition', () => findElectricalSeries(this.r, ids, known));
  }

  /** One ElectricalSeries for windowed reads, by HDF5 path (or name, when unique). */
  series(pathOrName: string, options: { cacheChunks?: number; cacheBytes?: number } = {}): ElectricalSeries {
    const all = this.electricalSeries();
    const hit = all.filter((s) => s.path === pathOrName || s.path === `/${pathOrName}` || s.name === pathOrName);
    if (hit.length !== 1) {
      throw new ParameterError(
        'series',
        `one of ${all.map((s) => s.path).join(', ') || '(no ElectricalSeries in the file)'}`,
        pathOrName,
      );
    }
    return this.r.guard(hit[0].path, () => new ElectricalSeries(this.r, hit[0], options));
  }

  /** The Units table (undefined when absent). */
  units(path = '/units'): UnitsTable | undefined {
    return this.r.guard(path, () => readUnits(this.r, path));
  }

  /** Every SpatialSeries (Position and friends); one that cannot be read is left out and listed in `skipped()`. */
  position(): SpatialSeries[] {
    return this.r.guard('/processing', () => readSpatialSeries(this.r));
  }

  /**
   * Every TimeIntervals table (epochs, trials, ripple_times, …); one that cannot be read is left out and listed in
   * `skipped()`.
   */
  intervals(): TimeIntervalsTable[] {
    return this.r.guard('/intervals', () => readTimeIntervals(this.r));
  }

  /** Objects the listings met but could not read, with why (they are left out of the lists). */
  skipped(): SkippedObject[] {
    return [...this.r.skipped];
  }

  /** The processing modules and what they hold. */
  processingModules(): ProcessingModule[] {
    return this.r.guard('/processing', () =>
      this.r.keys('/processing').map((name) => {
        const path = `/processing/${name}`;
        const children: Record<string, string | undefined> = {};
        for (const k of this.r.keys(path)) children[k] = this.r.neurodataType(`${path}/${k}`);
        return { name, description: this.r.attrString(path, 'description'), children };
      }),
    );
  }

  /** Any DynamicTable by HDF5 path (extension types included). */
  table(path: string): DynamicTable {
    return this.r.guard(path, () => readDynamicTable(this.r, path));
  }

  /** neurodata_type of any object (undefined when untyped or absent). */
  typeOf(path: string): string | undefined {
    return this.r.guard(path, () => this.r.neurodataType(path));
  }

  /**
   * What is at `path` (undefined when absent), without reading a dataset's values: for browsing.
   *
   * @example
   * nwb.object('/acquisition')?.children; // ['e-series']
   */
  object(path: string): NwbObject | undefined {
    const obj = this.r.find(path);
    if (!obj) return undefined;
    const about = {
      path,
      neurodataType: this.r.neurodataType(path),
      description: this.r.attrString(path, 'description'),
    };
    if (this.r.isGroup(obj)) return { ...about, kind: 'group', children: obj.keys() };
    return { ...about, kind: 'dataset', shape: obj.shape ?? [], dtype: String(obj.dtype) };
  }

  /** Text of a string dataset or attribute (e.g. a provenance record). */
  text(path: string): string | undefined {
    return this.r.guard(path, () => {
      const obj = this.r.find(path);
      if (!obj) return undefined;
      if (!this.r.isDataset(obj)) throw new NwbFormatError(this.name, path, 'a string dataset');
      return this.r.optionalString(path);
    });
  }

  /** Numeric dataset by path. */
  numbers(path: string): Float64Array {
    return this.r.guard(path, () => this.r.numbers(path));
  }

  close(): void {
    this.opened.close();
  }
}

/**
 * Opens an NWB file from a path (Node), an http(s) URL (lazily, by Range requests), bytes or a Blob. Throws
 * NwbFormatError when it is not readable NWB.
 */
export function openNwb(source: NwbSource, options: OpenOptions = {}): Promise<NwbFile> {
  return NwbFile.open(source, options);
}
