import { NwbFormatError } from '@spyglass-wasm/core';

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Checks the HDF5 superblock in the first bytes of a file before h5wasm sees it, so a non-HDF5 or
 * truncated file gets a clear NwbFormatError instead of an opaque failure deep in a read.
 * `head` is at least the first 2 KiB (or the whole file); `size` the file's length.
 */
export function checkHdf5Header(name: string, head: Uint8Array, size: number): void {
  let base = -1;
  for (const at of [0, 512, 1024, 2048]) {
    if (at + 8 <= head.length && SIGNATURE.every((b, i) => head[at + i] === b)) {
      base = at;
      break;
    }
  }
  if (base < 0) throw new NwbFormatError(name, '/', 'an HDF5 file (no HDF5 signature in its first bytes)');
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const version = head[base + 8];
  let eofAt: number, offsetSize: number;
  if (version === 0 || version === 1) {
    offsetSize = head[base + 13];
    eofAt = base + 24 + (version === 1 ? 4 : 0) + 2 * offsetSize;
  } else if (version === 2 || version === 3) {
    offsetSize = head[base + 9];
    eofAt = base + 12 + 2 * offsetSize;
  } else {
    return; // an unknown superblock version: let the HDF5 library decide
  }
  if (eofAt + offsetSize > head.length || offsetSize !== 8) return;
  const eof = Number(view.getBigUint64(eofAt, true));
  if (size < eof) {
    throw new NwbFormatError(name, '/', `a complete HDF5 file of ${eof} bytes (file has ${size}: truncated)`);
  }
}
