import { createBLAKE3 } from 'hash-wasm';
import { ParameterError } from '@spyglass-wasm/core';
import { canonicalJson } from './canonical-json.js';
import { nodeFs } from './platform.node.js';

/** Prefix of every content hash, so ids say which function made them. */
export const HASH_PREFIX = 'blake3:';

type Hasher = Awaited<ReturnType<typeof createBLAKE3>>;
let shared: Promise<Hasher> | undefined;

/** One BLAKE3 hasher (Wasm, Node and browsers), reused: init() resets it for every hash. */
async function hasher(): Promise<Hasher> {
  shared ??= createBLAKE3(256);
  return shared;
}

/**
 * BLAKE3-256 of byte chunks, as `blake3:<hex>`. Chunks are hashed in order without copying.
 *
 * @example
 * await hashBytes(new TextEncoder().encode('abc'));
 */
export async function hashBytes(...chunks: Uint8Array[]): Promise<string> {
  const h = await hasher();
  h.init();
  for (const c of chunks) h.update(c);
  return HASH_PREFIX + h.digest('hex');
}

/**
 * A BLAKE3-256 of bytes fed in pieces (its own hasher, so other hashes may run meanwhile): equal to
 * `hashBytes` of the pieces joined.
 *
 * @example
 * const h = await bytesHasher(); h.update(a); h.update(b); h.digest(); // === await hashBytes(a, b)
 */
export async function bytesHasher(): Promise<{ update(bytes: Uint8Array): void; digest(): string }> {
  const h = await createBLAKE3(256);
  h.init();
  return {
    update: (bytes) => void h.update(bytes),
    digest: () => HASH_PREFIX + h.digest('hex'),
  };
}

/** Hash of a JSON value's RFC 8785 canonical form. */
export async function hashJson(value: unknown): Promise<string> {
  return hashBytes(new TextEncoder().encode(canonicalJson(value)));
}

const DTYPES = new Map<string, string>([
  ['Float64Array', '<f8'],
  ['Float32Array', '<f4'],
  ['Int8Array', '|i1'],
  ['Uint8Array', '|u1'],
  ['Int16Array', '<i2'],
  ['Uint16Array', '<u2'],
  ['Int32Array', '<i4'],
  ['Uint32Array', '<u4'],
  ['BigInt64Array', '<i8'],
  ['BigUint64Array', '<u8'],
]);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Hash of an array's raw bytes behind a `{"dtype":"<f8","shape":[r,c]}\n` header (numpy dtype
 * strings, little-endian), so equal samples of a different type or shape never collide and no
 * number goes through decimal text.
 *
 * @example
 * await hashArray(new Float32Array(lfp.data), [lfp.rows, lfp.cols]);
 */
export async function hashArray(
  array: ArrayBufferView,
  shape: readonly number[] = [elementCount(array)],
): Promise<string> {
  const dtype = DTYPES.get(array.constructor.name);
  if (!dtype) throw new ParameterError('array', 'a typed array', array.constructor.name);
  if (!LITTLE_ENDIAN) throw new ParameterError('platform', 'a little-endian platform', 'big-endian');
  if (shape.reduce((a, b) => a * b, 1) !== elementCount(array)) {
    throw new ParameterError('shape', `dimensions whose product is ${elementCount(array)}`, shape.join('×'));
  }
  const header = new TextEncoder().encode(canonicalJson({ dtype, shape }) + '\n');
  return hashBytes(header, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

function elementCount(a: ArrayBufferView): number {
  return (a as unknown as { length: number }).length;
}

/**
 * Streams a file (Node) through BLAKE3 without holding it in memory: the checksum of a file entity.
 */
export async function hashFile(path: string): Promise<string> {
  const { createReadStream } = await nodeFs();
  const h = await createBLAKE3(256); // own hasher: other hashes may run while the file streams
  h.init();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) h.update(chunk as Uint8Array);
  return HASH_PREFIX + h.digest('hex');
}

/**
 * Streams a Blob or File (browsers, and Node's Blob) through BLAKE3 in 4 MiB slices, so a large
 * file is never held in memory at once: the same checksum `hashFile` gives the same bytes on disk.
 *
 * @example
 * await hashBlob(fileFromPicker); // 'blake3:…', equal to hashFile(path) of the same bytes
 */
export async function hashBlob(blob: Blob, sliceBytes = 1 << 22): Promise<string> {
  const h = await createBLAKE3(256);
  h.init();
  for (let at = 0; at < blob.size; at += sliceBytes)
    h.update(new Uint8Array(await blob.slice(at, at + sliceBytes).arrayBuffer()));
  return HASH_PREFIX + h.digest('hex');
}
