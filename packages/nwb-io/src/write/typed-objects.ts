import type { H5 } from '../h5/h5wasm.js';

type HasAttrs = H5.Group | H5.Dataset;

/** A random UUID4, the object_id NWB puts on every typed object. */
function uuid4(): string {
  return globalThis.crypto.randomUUID();
}

/** Marks an object as an NWB/hdmf type: namespace, neurodata_type, object_id. */
export function markTyped(obj: HasAttrs, namespace: 'core' | 'hdmf-common', type: string): void {
  obj.create_attribute('namespace', namespace);
  obj.create_attribute('neurodata_type', type);
  obj.create_attribute('object_id', uuid4());
}

/** Smallest unsigned integer array that holds every value (VectorIndex is unsigned). */
function unsignedFor(values: ArrayLike<number>): Uint8Array | Uint16Array | Uint32Array {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  if (max < 256) return Uint8Array.from(values);
  if (max < 65536) return Uint16Array.from(values);
  return Uint32Array.from(values);
}

/** A column of a table to write. */
export interface ColumnInput {
  description?: string;
  /**
   * Values per row: numbers, strings, or one array per row (ragged, written with a VectorIndex).
   * 2-D numeric columns (e.g. waveform_mean) are { data, shape } with shape[0] = rows.
   */
  values:
    | ArrayLike<number>
    | readonly string[]
    | readonly ArrayLike<number>[]
    | readonly (readonly string[])[]
    | { data: Float32Array | Float64Array; shape: number[] };
}

/** Writes one VectorData column (and its VectorIndex when ragged) into a table group. */
export function writeColumn(table: H5.Group, name: string, col: ColumnInput, rows: number): void {
  const v = col.values as unknown;
  const description = col.description ?? name;
  const put = (dsName: string, data: unknown, extra: Record<string, unknown> = {}) => {
    const ds = table.create_dataset({ name: dsName, ...(data as object) } as Parameters<H5.Group['create_dataset']>[0]);
    markTyped(ds, 'hdmf-common', 'VectorData');
    ds.create_attribute('description', description);
    for (const [k, val] of Object.entries(extra)) ds.create_attribute(k, val as string);
    return ds;
  };
  if (isShaped(v)) {
    if (v.shape[0] !== rows) throw new RangeError(`column '${name}': ${v.shape[0]} rows, table has ${rows}`);
    put(name, { data: v.data, shape: v.shape });
    return;
  }
  const list = v as ArrayLike<unknown>;
  if (list.length !== rows) throw new RangeError(`column '${name}': ${list.length} values, table has ${rows}`);
  const ragged = rows > 0 && (Array.isArray(list[0]) || ArrayBuffer.isView(list[0]));
  if (!ragged) {
    if (typeof list[0] === 'string') put(name, { data: Array.from(list as readonly string[]) });
    else put(name, { data: Float64Array.from(list as ArrayLike<number>) });
    return;
  }
  const parts = list as readonly ArrayLike<unknown>[];
  const ends: number[] = [];
  let total = 0;
  for (const p of parts) ends.push((total += p.length));
  const target =
    typeof parts.find((p) => p.length > 0)?.[0] === 'string'
      ? put(name, { data: parts.flatMap((p) => Array.from(p as readonly string[])) })
      : put(name, { data: Float64Array.from(parts.flatMap((p) => Array.from(p as ArrayLike<number>))) });
  const index = table.create_dataset({ name: `${name}_index`, data: unsignedFor(ends) });
  markTyped(index, 'hdmf-common', 'VectorIndex');
  index.create_attribute('description', `Index for VectorData '${name}'`);
  index.create_attribute('target', target.create_reference());
}

function isShaped(v: unknown): v is { data: Float32Array | Float64Array; shape: number[] } {
  return typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && !Array.isArray(v);
}

/** Starts a DynamicTable group with ids and colnames; the caller writes the columns. */
export function createTable(
  parent: H5.Group,
  name: string,
  type: { namespace: 'core' | 'hdmf-common'; neurodataType: string },
  description: string,
  colnames: string[],
  ids: ArrayLike<number>,
): H5.Group {
  const g = parent.create_group(name);
  markTyped(g, type.namespace, type.neurodataType);
  g.create_attribute('description', description);
  g.create_attribute('colnames', colnames.length ? colnames : ['']);
  const id = g.create_dataset({ name: 'id', data: BigInt64Array.from(Array.from(ids, (i) => BigInt(i))) });
  markTyped(id, 'hdmf-common', 'ElementIdentifiers');
  return g;
}
