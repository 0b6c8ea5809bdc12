import { decodeBase64, encodeBase64 } from '../wasm/base64.js';

const TYPES = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypeName = keyof typeof TYPES;
const MARK = '$typed';

/**
 * JSON that keeps typed arrays: each becomes `{ "$typed": "Float32Array", "base64": … }` (its
 * little-endian bytes), a fraction of the size of a number list and read back exactly.
 *
 * @example
 * fromTypedJson(toTypedJson({ t: new Float64Array([0.1, 2]) })).t; // Float64Array [0.1, 2]
 */
export function toTypedJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor.name as TypeName;
      if (!(name in TYPES)) throw new TypeError(`toTypedJson: ${name} is not supported`);
      return { [MARK]: name, base64: encodeBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    }
    return v;
  });
}

/** Reads what toTypedJson wrote, typed arrays included. */
export function fromTypedJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && MARK in v) {
      const { [MARK]: name, base64 } = v as { [MARK]: TypeName; base64: string };
      const bytes = decodeBase64(base64);
      const Type = TYPES[name];
      if (!Type) throw new TypeError(`fromTypedJson: unknown array type ${name}`);
      return new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
    }
    return v;
  }) as T;
}
