// Builders of hostile NWB files for the tests: written with NwbWriter, then edited with h5wasm or
// patched byte by byte (object header checksums recomputed, so HDF5 sees the edit, not a checksum).
import { readFileSync, writeFileSync } from 'node:fs';
import { NwbWriter } from '../src/index.js';
import { loadH5wasm } from '../src/h5/h5wasm.js';

export const SESSION = {
  identifier: 'hostile',
  sessionDescription: 'hostile input',
  sessionStartTime: '2024-01-01T00:00:00Z',
};

/** A small file: 4 channels, 1024 int16 rows in gzip chunks of 256 rows, electrodes, position. */
export async function writeSmall(
  path: string,
  series: { conversion?: number; startingTime?: number; rate?: number; electrodes?: number[] } = {},
): Promise<Int16Array> {
  const w = await NwbWriter.create(path, SESSION);
  w.addElectrodes({ groups: [{ name: 'tetrode0' }], group: ['tetrode0', 'tetrode0', 'tetrode0', 'tetrode0'] });
  const rows = 1024,
    data = new Int16Array(rows * 4);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(300 * Math.sin(i / 7) + ((i * 7919) % 61));
  w.addElectricalSeries({
    name: 'raw',
    module: 'ecephys',
    container: null,
    data: { data, rows, cols: 4 },
    electrodes: series.electrodes ?? [0, 1, 2, 3],
    rate: series.rate ?? 30000,
    startingTime: series.startingTime,
    conversion: series.conversion ?? 1.95e-7,
    chunkRows: 256,
  });
  await w.close();
  return data;
}

/** Edits a file with h5wasm (read-write). */
export async function edit(path: string, fn: (f: import('h5wasm').File) => void): Promise<void> {
  const { h5 } = await loadH5wasm();
  const f = new h5.File(path, 'a');
  try {
    fn(f);
  } finally {
    f.close();
  }
}

/** HDF5's metadata checksum (Bob Jenkins' lookup3 hashlittle, initial value 0). */
export function lookup3(k: Uint8Array): number {
  const rot = (x: number, n: number) => (x << n) | (x >>> (32 - n));
  let length = k.length,
    o = 0;
  let a = (0xdeadbeef + length) | 0,
    b = a,
    c = a;
  const word = (i: number) => k[i] | (k[i + 1] << 8) | (k[i + 2] << 16) | (k[i + 3] << 24);
  while (length > 12) {
    a = (a + word(o)) | 0;
    b = (b + word(o + 4)) | 0;
    c = (c + word(o + 8)) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 4);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 6);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 8);
    b = (b + a) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 16);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 19);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 4);
    b = (b + a) | 0;
    length -= 12;
    o += 12;
  }
  if (length === 0) return c >>> 0;
  const tail = new Uint8Array(12);
  tail.set(k.subarray(o, o + length));
  const t = (i: number) => tail[i] | (tail[i + 1] << 8) | (tail[i + 2] << 16) | (tail[i + 3] << 24);
  a = (a + t(0)) | 0;
  b = (b + t(4)) | 0;
  c = (c + t(8)) | 0;
  c ^= b;
  c = (c - rot(b, 14)) | 0;
  a ^= c;
  a = (a - rot(c, 11)) | 0;
  b ^= a;
  b = (b - rot(a, 25)) | 0;
  c ^= b;
  c = (c - rot(b, 16)) | 0;
  a ^= c;
  a = (a - rot(c, 4)) | 0;
  b ^= a;
  b = (b - rot(a, 14)) | 0;
  c ^= b;
  c = (c - rot(b, 24)) | 0;
  return c >>> 0;
}

/**
 * Replaces bytes at `at` inside a checksummed object header chunk (OHDR or OCHK) and recomputes
 * its checksum: the chunk's end is where the stored checksum matches the bytes before it.
 */
export function patchChecksummed(bytes: Uint8Array, at: number, patch: Uint8Array): void {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts = ['OHDR', 'OCHK']
    .map((sig) => text.lastIndexOf(sig, at))
    .filter((i) => i >= 0)
    .sort((x, y) => y - x);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const start of starts) {
    for (let end = at + patch.length; end + 4 <= bytes.length && end < at + (1 << 16); end++) {
      if (lookup3(bytes.subarray(start, end)) !== view.getUint32(end, true)) continue;
      bytes.set(patch, at);
      view.setUint32(end, lookup3(bytes.subarray(start, end)), true);
      return;
    }
  }
  throw new Error(`no checksummed object header chunk holds byte ${at}`);
}

/** Rewrites a file's deflate filter (id 1, level 4) as LZF (id 32000), which h5wasm does not have. */
export function deflateToLzf(path: string): void {
  const bytes = new Uint8Array(readFileSync(path));
  // Filter pipeline message v2: version 2, 1 filter, id 1, flags 0, 1 value (level 4).
  const deflate = Uint8Array.of(2, 1, 1, 0, 0, 0, 1, 0, 4, 0, 0, 0);
  // id 32000 (>= 256 carries a name length; 0 = no name), flags 0, no values, 2 spare bytes.
  const lzf = Uint8Array.of(2, 1, 0x00, 0x7d, 0, 0, 0, 0, 0, 0, 0, 0);
  let at = Buffer.from(bytes).indexOf(Buffer.from(deflate));
  let n = 0;
  while (at >= 0) {
    patchChecksummed(bytes, at, lzf);
    n++;
    at = Buffer.from(bytes).indexOf(Buffer.from(deflate), at + 1);
  }
  if (n === 0) throw new Error('no deflate filter message found');
  writeFileSync(path, bytes);
}
