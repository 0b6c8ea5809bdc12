/**
 * Checks a global heap collection (GCOL, where HDF5 keeps variable-length strings) the way
 * HDF5's own decoder walks it, before HDF5 sees it: a zeroed or corrupt collection makes that
 * walk loop forever (an object of size 0 never advances) or run past the collection.
 * Returns why the collection is unusable, or undefined when the walk ends inside it.
 */
export function globalHeapProblem(bytes: Uint8Array, available: number): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[4] !== 1) return `version ${bytes[4]} (expected 1)`;
  const size = Number(view.getBigUint64(8, true));
  const HEADER = 16,
    OBJECT_HEADER = 16;
  if (size < HEADER + OBJECT_HEADER) return `a size of ${size} bytes`;
  if (size > available) return `a size of ${size} bytes past the end of the file`;
  if (bytes.length < size) return undefined; // not all read: the caller reads the whole collection
  let p = HEADER;
  while (p < size) {
    if (p + OBJECT_HEADER > size) break; // a tail too small for an object: free space
    const index = view.getUint16(p, true);
    const objectSize = Number(view.getBigUint64(p + 8, true));
    const need = index > 0 ? OBJECT_HEADER + align8(objectSize) : objectSize;
    if (need === 0) return `object ${index} at byte ${p} of size 0 (would never end)`;
    if (p + need > size) return `object ${index} at byte ${p} (${objectSize} bytes) running past the collection`;
    p += need;
  }
  return undefined;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;
