/** Conversions of h5wasm values to plain JavaScript. */

type Value = unknown;

/** Numbers of a numeric dataset or attribute (BigInt64 and friends become numbers). */
export function toNumbers(value: Value): Float64Array {
  if (value === null || value === undefined) return new Float64Array(0);
  if (typeof value === 'number' || typeof value === 'bigint') return Float64Array.of(Number(value));
  if (value instanceof Float64Array) return value;
  if (ArrayBuffer.isView(value) || Array.isArray(value)) return Float64Array.from(value as ArrayLike<number | bigint>, Number);
  return Float64Array.of(Number(value));
}

/** Strings of a string dataset or attribute (scalar -> one element). */
export function toStrings(value: Value): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map((v) => String(v));
  if (typeof value === 'string') return [value];
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, String);
  return [String(value)];
}

/** One string (the first of an array). */
export function toString1(value: Value): string | undefined {
  return toStrings(value)[0];
}

/** Whether an h5wasm value is an object reference. */
export function isReference(value: Value): value is { ref_data: Uint8Array } {
  return typeof value === 'object' && value !== null && 'ref_data' in value;
}

type NumericArrayCtor = { new (n: number): Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array };

/** The typed array a numeric dataset reads into (64-bit integers become Float64Array). */
export function typedArrayFor(meta: { type: number; size: number; signed: boolean }): NumericArrayCtor {
  if (meta.type === 1) return meta.size === 4 ? Float32Array : Float64Array;
  if (meta.type === 0) {
    if (meta.size === 1) return meta.signed ? Int8Array : Uint8Array;
    if (meta.size === 2) return meta.signed ? Int16Array : Uint16Array;
    if (meta.size === 4) return meta.signed ? Int32Array : Uint32Array;
  }
  return Float64Array;
}
