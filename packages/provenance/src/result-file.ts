import { NwbFormatError, ParameterError } from '@spyglass-wasm/core';
import type { BlobWriter } from './blobs/blob-store.js';
import { bytesHasher } from './hash.js';
import type { OutputArray, ResultArray, ResultData } from './step.js';

const MAGIC = 'SPYGLASS-RESULT-1\n';
const TYPES: Record<string, new (b: ArrayBuffer, o: number, n: number) => ResultArray> = {
  '<f8': Float64Array,
  '<f4': Float32Array,
  '<i4': Int32Array,
  '<u4': Uint32Array,
  '<i2': Int16Array,
  '|u1': Uint8Array,
};
const DTYPE_OF = new Map<unknown, string>(Object.entries(TYPES).map(([k, v]) => [v, k]));

/** The numpy dtype string of a result array's type (`<f4` for Float32Array). */
export function dtypeOf(type: unknown): string {
  const d = DTYPE_OF.get(type);
  if (!d) throw new ParameterError('array', `one of ${[...DTYPE_OF.values()].join(', ')}`, String(type));
  return d;
}

type TableEntry = { dtype: string; shape: number[]; offset: number; length: number };
/** An array's place in the file: what the header's table says, and its byte length. */
type Placed = { dtype: string; shape: number[]; length: number; byteLength: number };

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/** The array table (offsets 8-byte aligned, in the arrays' order) and the body's length. */
function layout(arrays: [string, Placed][]): { table: Record<string, TableEntry>; body: number } {
  const table: Record<string, TableEntry> = {};
  let offset = 0;
  for (const [name, a] of arrays) {
    table[name] = { dtype: a.dtype, shape: a.shape, offset, length: a.length };
    offset += pad8(a.byteLength);
  }
  return { table, body: offset };
}

/** Everything before the arrays: the magic line, the header's length and JSON, zeros to 8 bytes. */
function headBytes(provenance: unknown, json: unknown, table: Record<string, TableEntry>): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ provenance, json, arrays: table }));
  const head = new TextEncoder().encode(MAGIC);
  const out = new Uint8Array(pad8(head.length + 8 + header.length));
  out.set(head, 0);
  new DataView(out.buffer).setBigUint64(head.length, BigInt(header.length), true);
  out.set(header, head.length + 8);
  return out;
}

const placed = (a: { data: ResultArray; shape: number[] }): Placed => ({
  dtype: dtypeOf(a.data.constructor),
  shape: a.shape,
  length: a.data.length,
  byteLength: a.data.byteLength,
});

/**
 * A result's bytes: a magic line, a JSON header (provenance record, JSON data, array table) and
 * the arrays' raw little-endian bytes, 8-byte aligned. Self-describing, so an exported result
 * can be checked and read without the database.
 */
export function encodeResult(data: ResultData, provenance: unknown): Uint8Array {
  const { table, body } = layout(Object.entries(data.arrays).map(([name, a]) => [name, placed(a)]));
  const head = headBytes(provenance, data.json, table);
  const out = new Uint8Array(head.length + body);
  out.set(head, 0);
  for (const [name, a] of Object.entries(data.arrays))
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), head.length + table[name].offset);
  return out;
}

/** Slices a pieced array is copied in: never a whole array in memory. */
const COPY_BYTES = 1 << 22;

/**
 * Writes the bytes `encodeResult` gives for the same data through `writer`, piece by piece: arrays
 * written in pieces are copied from their scratch files in slices, whole ones written as they are
 * (no second copy), and the file's BLAKE3 computed on the way. Returns that checksum; the caller
 * closes (or aborts) the writer.
 */
export async function writeResult(
  writer: BlobWriter,
  data: { arrays: Record<string, OutputArray>; json: Record<string, unknown> },
  provenance: unknown,
): Promise<string> {
  const entries = Object.entries(data.arrays);
  const { table } = layout(
    entries.map(([name, a]) => [name, 'pieced' in a ? { ...a.pieced, shape: a.shape } : placed(a)]),
  );
  const hash = await bytesHasher();
  const put = async (bytes: Uint8Array) => {
    hash.update(bytes);
    await writer.write(bytes);
  };
  await put(headBytes(provenance, data.json, table));
  for (const [, a] of entries) {
    let n: number;
    if ('pieced' in a) {
      n = a.pieced.byteLength;
      for (let at = 0; at < n; at += COPY_BYTES) await put(await a.pieced.read(at, Math.min(COPY_BYTES, n - at)));
    } else {
      n = a.data.byteLength;
      await put(new Uint8Array(a.data.buffer, a.data.byteOffset, n));
    }
    if (pad8(n) > n) await put(new Uint8Array(pad8(n) - n));
  }
  return hash.digest();
}

/** Reads bytes written by encodeResult (arrays are views on a fresh aligned copy). */
export function decodeResult(bytes: Uint8Array, file = 'result'): ResultData & { provenance: unknown } {
  const { header, start } = parseHead(bytes, (n) => bytes.subarray(0, n), file);
  // a copy (Uint8Array's slice, also for Node Buffers whose slice is a view) aligns the arrays
  const body = Uint8Array.prototype.slice.call(bytes, start).buffer;
  const arrays: ResultData['arrays'] = {};
  for (const [name, t] of Object.entries(header.arrays)) {
    arrays[name] = { data: new TYPES[t.dtype](body, t.offset, t.length), shape: t.shape };
  }
  return { provenance: header.provenance, json: header.json, arrays };
}

type Header = { provenance: unknown; json: Record<string, unknown>; arrays: Record<string, TableEntry> };

function headerLength(first: Uint8Array, file: string): number {
  const head = new TextEncoder().encode(MAGIC);
  if (first.length < head.length + 8 || new TextDecoder().decode(first.subarray(0, head.length)) !== MAGIC) {
    throw new NwbFormatError(file, '/', 'a Spyglass-Wasm result file');
  }
  return Number(new DataView(first.buffer, first.byteOffset).getBigUint64(head.length, true));
}

function parseHead(
  first: Uint8Array,
  more: (n: number) => Uint8Array,
  file: string,
): { header: Header; start: number } {
  const n = headerLength(first, file);
  const header = JSON.parse(new TextDecoder().decode(more(MAGIC.length + 8 + n).subarray(MAGIC.length + 8)));
  return { header, start: pad8(MAGIC.length + 8 + n) };
}

async function parseHeadAsync(
  first: Uint8Array,
  more: (n: number) => Promise<Uint8Array>,
  file: string,
): Promise<{ header: Header; start: number }> {
  const n = headerLength(first, file);
  const header = JSON.parse(new TextDecoder().decode((await more(MAGIC.length + 8 + n)).subarray(MAGIC.length + 8)));
  return { header, start: pad8(MAGIC.length + 8 + n) };
}

/**
 * A stored result read in windows: its JSON and array table at once, array rows on demand, so a
 * long series is never whole in memory.
 *
 * @example
 * const lfp = await openResult(store, record);
 * const first = await lfp.read('data', 0, 1000); // rows 0–999, every channel
 */
export interface ResultReader {
  readonly provenance: unknown;
  readonly json: Record<string, unknown>;
  /** Each array's dtype (numpy string) and shape. */
  readonly arrays: Readonly<Record<string, { dtype: string; shape: number[] }>>;
  /** Rows [start, end) of the array's first dimension (default all), as a fresh typed array. */
  read(name: string, start?: number, end?: number): Promise<ResultArray>;
}

/** A result file read through `readRange` (offset, length → bytes): only the header at open. */
export async function openResultFile(
  readRange: (offset: number, length: number) => Promise<Uint8Array>,
  file = 'result',
): Promise<ResultReader> {
  const first = await readRange(0, MAGIC.length + 8);
  // the first bytes give the header's length; then the header itself
  const { header, start } = await parseHeadAsync(first, (n) => readRange(0, n), file);
  return windowReader(header, async (name, t, a, b) => {
    const bytes = await readRange(start + t.offset + a, b - a);
    if (bytes.length !== b - a) throw new NwbFormatError(file, name, `${b - a} bytes of array '${name}'`);
    return bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  });
}

/** A whole result in memory read the same way (e.g. a result decoded from a file). */
export function resultReader(data: ResultData & { provenance?: unknown }): ResultReader {
  const header: Header = { provenance: data.provenance, json: data.json, arrays: {} };
  for (const [name, a] of Object.entries(data.arrays))
    header.arrays[name] = { dtype: dtypeOf(a.data.constructor), shape: a.shape, offset: 0, length: a.data.length };
  return windowReader(header, async (name, _t, a, b) => {
    const d = data.arrays[name].data;
    return new Uint8Array(d.buffer, d.byteOffset + a, b - a).slice();
  });
}

function windowReader(
  header: Header,
  bytesOf: (name: string, t: TableEntry, from: number, to: number) => Promise<Uint8Array>,
): ResultReader {
  const arrays = Object.fromEntries(
    Object.entries(header.arrays).map(([name, t]) => [name, { dtype: t.dtype, shape: t.shape }]),
  );
  return {
    provenance: header.provenance,
    json: header.json,
    arrays,
    async read(name, start = 0, end?) {
      const t = header.arrays[name];
      if (!t) throw new ParameterError('array', `one of ${Object.keys(header.arrays).join(', ')}`, name);
      const rows = t.shape[0] ?? 1;
      const stop = end ?? rows;
      if (!(Number.isInteger(start) && Number.isInteger(stop) && start >= 0 && start <= stop && stop <= rows))
        throw new ParameterError('rows', `0 ≤ start ≤ end ≤ ${rows} of '${name}'`, `[${start}, ${end})`);
      const type = TYPES[t.dtype];
      const perRow = rows === 0 ? 0 : t.length / rows;
      const size = (type as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      const bytes = await bytesOf(name, t, start * perRow * size, stop * perRow * size);
      return new type(bytes.buffer as ArrayBuffer, bytes.byteOffset, (stop - start) * perRow);
    },
  };
}
