/** Conversions of h5wasm values to plain JavaScript. */

type Value = unknown;

/** Numbers of a numeric dataset or attribute (BigInt64 and friends become numbers). */
export function toNumbers(value: Value): Float64Array {
  if (value === null || value === undefined) return new Float64Array(0);
  if (typeof value === 'number' || typeof value === 'bigint') return Float64Array.of(Number(value));
  if (value instanceof Float64Array) return value;
  if (ArrayBuffer.isView(value) || Array.isArray(value))
    return Float64Array.from(value as ArrayLike<number | bigint>, Number);
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
