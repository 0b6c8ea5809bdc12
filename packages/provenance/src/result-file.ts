import { NwbFormatError } from '@spyglass-wasm/core';
import type { ResultArray, ResultData } from './step.js';

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

/**
 * A result's bytes: a magic line, a JSON header (provenance record, JSON data, array table) and
 * the arrays' raw little-endian bytes, 8-byte aligned. Self-describing, so an exported result
 * can be checked and read without the database.
 */
export function encodeResult(data: ResultData, provenance: unknown): Uint8Array {
  const table: Record<string, { dtype: string; shape: number[]; offset: number; length: number }> = {};
  let offset = 0;
  for (const [name, a] of Object.entries(data.arrays)) {
    table[name] = { dtype: DTYPE_OF.get(a.data.constructor)!, shape: a.shape, offset, length: a.data.length };
    offset += Math.ceil(a.data.byteLength / 8) * 8;
  }
  const header = new TextEncoder().encode(JSON.stringify({ provenance, json: data.json, arrays: table }));
  const head = new TextEncoder().encode(MAGIC);
  const pre = head.length + 8 + header.length;
  const start = Math.ceil(pre / 8) * 8;
  const out = new Uint8Array(start + offset);
  out.set(head, 0);
  new DataView(out.buffer).setBigUint64(head.length, BigInt(header.length), true);
  out.set(header, head.length + 8);
  for (const [name, a] of Object.entries(data.arrays))
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), start + table[name].offset);
  return out;
}

/** Reads bytes written by encodeResult (arrays are views on a fresh aligned copy). */
export function decodeResult(bytes: Uint8Array, file = 'result'): ResultData & { provenance: unknown } {
  const head = new TextEncoder().encode(MAGIC);
  if (bytes.length < head.length + 8 || new TextDecoder().decode(bytes.subarray(0, head.length)) !== MAGIC) {
    throw new NwbFormatError(file, '/', 'a Spyglass-Wasm result file');
  }
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(head.length, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(head.length + 8, head.length + 8 + n)));
  const start = Math.ceil((head.length + 8 + n) / 8) * 8;
  // a copy (Uint8Array's slice, also for Node Buffers whose slice is a view) aligns the arrays
  const body = Uint8Array.prototype.slice.call(bytes, start).buffer;
  const arrays: ResultData['arrays'] = {};
  for (const [name, t] of Object.entries(
    header.arrays as Record<string, { dtype: string; shape: number[]; offset: number; length: number }>,
  )) {
    arrays[name] = { data: new TYPES[t.dtype](body, t.offset, t.length), shape: t.shape };
  }
  return { provenance: header.provenance, json: header.json, arrays };
}
