import { isReference } from '../h5/values.js';
import type { H5Reader } from './h5-reader.js';

/** A column's values: numbers, strings, or HDF5 paths of referenced objects. */
export type ColumnValues = Float64Array | string[] | number[][] | string[][] | Float64Array[];

/** One column of a DynamicTable, ragged columns already split per row by their VectorIndex. */
export interface Column {
  name: string;
  description?: string;
  neurodataType?: string;
  /** Per-row values: a flat array, or one array per row for ragged (indexed) columns. */
  values: ColumnValues;
  ragged: boolean;
  /** For a DynamicTableRegion: the path of the table its row indices point into. */
  table?: string;
  /** For 2-D columns such as waveform_mean: the shape of the dataset. */
  shape?: number[];
}

/** A DynamicTable (electrodes, units, intervals, any other). */
export interface DynamicTable {
  path: string;
  neurodataType?: string;
  description?: string;
  colnames: string[];
  ids: Float64Array;
  columns: Record<string, Column>;
}

/**
 * Reads any DynamicTable: ids, every column in `colnames` (and any other VectorData child),
 * ragged columns through their VectorIndex (any integer width, including old int32 indexes),
 * DynamicTableRegions with their target table, object references as target paths.
 */
export function readDynamicTable(r: H5Reader, path: string): DynamicTable {
  r.group(path, 'a DynamicTable group');
  const ids = r.isDataset(r.find(`${path}/id`))
    ? r.numbers(`${path}/id`)
    : r.fail(`${path}/id`, 'the table ids (ElementIdentifiers)');
  const declared = toColnames(r.attr(path, 'colnames'));
  const children = r.keys(path).filter((k) => r.isDataset(r.find(`${path}/${k}`)));
  const indexOf = new Set(children.filter((k) => children.includes(`${k}_index`)).map((k) => `${k}_index`));
  const names = [...declared, ...children.filter((k) => k !== 'id' && !declared.includes(k) && !indexOf.has(k))];
  const columns: Record<string, Column> = {};
  for (const name of names) {
    const p = `${path}/${name}`;
    if (!r.isDataset(r.find(p))) r.fail(p, `the column '${name}' listed in colnames`);
    columns[name] = readColumn(r, p, name, children.includes(`${name}_index`) ? `${p}_index` : undefined, ids.length);
  }
  return {
    path,
    neurodataType: r.neurodataType(path),
    description: r.attrString(path, 'description'),
    colnames: declared.length ? declared : names,
    ids,
    columns,
  };
}

function toColnames(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v ? [v] : [];
  return [];
}

function readColumn(r: H5Reader, p: string, name: string, indexPath: string | undefined, nrows: number): Column {
  const ds = r.dataset(p);
  const neurodataType = r.neurodataType(p);
  const tableRef = r.attr(p, 'table');
  const table =
    tableRef !== undefined ? r.dereference(Array.isArray(tableRef) ? tableRef[0] : tableRef, `${p}@table`) : undefined;
  const meta = r.metadata(p, ds);
  const shape = meta.shape ?? [];
  let flat: Float64Array | string[];
  if ((meta.type === 0 || meta.type === 1) && !meta.vlen) flat = r.numbers(p);
  else {
    const raw = r.value(p);
    if (Array.isArray(raw) && raw.length > 0 && isReference(raw[0]))
      flat = raw.map((ref, i) => r.dereference(ref, `${p}[${i}]`));
    else if (Array.isArray(raw) || typeof raw === 'string') flat = (Array.isArray(raw) ? raw : [raw]).map(String);
    else flat = r.numbers(p);
  }
  const base = { name, description: r.attrString(p, 'description'), neurodataType, table };
  if (indexPath) {
    const ends = r.numbers(indexPath);
    if (ends.length !== nrows) r.fail(indexPath, `one index entry per row (${nrows})`, `${ends.length}`);
    const rows: (Float64Array | string[])[] = [];
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i];
      if (end < start || end > flat.length)
        r.fail(indexPath, `non-decreasing ends within the data length ${flat.length}`, end);
      rows.push(flat.slice(start, end) as Float64Array | string[]);
      start = end;
    }
    return { ...base, values: rows as ColumnValues, ragged: true };
  }
  if (shape.length === 2 && flat instanceof Float64Array) {
    const [n, k] = shape;
    if (n * k !== flat.length) r.fail(p, `${n} × ${k} values`, flat.length);
    return {
      ...base,
      values: Array.from({ length: n }, (_, i) => flat.slice(i * k, (i + 1) * k)) as Float64Array[],
      ragged: false,
      shape,
    };
  }
  return { ...base, values: flat, ragged: false, shape };
}
