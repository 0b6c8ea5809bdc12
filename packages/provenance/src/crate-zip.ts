// Unpacking a crate zip for verify, with the same distrust as a crate folder: entry names must be
// plain relative paths (no zip-slip), and the entries, their count and the bytes they inflate to
// (counted as they inflate, not as the headers claim) are bounded, so a zip bomb stops early.
import { ParameterError } from '@spyglass-wasm/core';
import { nodeFs, nodePath } from './platform.node.js';
import { isPlainPath } from './crate-read.js';

/** Bounds on a zip's contents. */
export interface ZipLimits {
  maxEntries: number;
  maxBytes: number;
}

/**
 * Extracts the crate zip `zipPath` into the empty folder `dir` (regular files only; folders are
 * made from the entry names). Throws a one-line ParameterError naming the zip and the entry for a
 * path leaving the folder, an encrypted or unknown compression, or contents beyond `limits`.
 *
 * @example
 * await extractCrateZip('crate.zip', scratch, { maxEntries: 10_001, maxBytes: 2 ** 36 });
 */
export async function extractCrateZip(zipPath: string, dir: string, limits: ZipLimits): Promise<void> {
  const { Unzip, UnzipInflate, UnzipPassThrough } = await import('fflate');
  const { createReadStream, openSync, writeSync, closeSync, mkdirSync } = await nodeFs();
  const { dirname } = await nodePath();
  let entries = 0;
  let total = 0;
  let failure: Error | undefined;
  const fail = (what: string, expected: string, got: unknown) =>
    (failure ??= new ParameterError(`${zipPath}${what}`, expected, got));
  const open: number[] = [];
  const unzip = new Unzip((file) => {
    if (failure) return;
    if (++entries > limits.maxEntries) return void fail('', `at most ${limits.maxEntries} entries`, 'more');
    const name = file.name;
    if (name.endsWith('/')) return; // a folder entry: folders come from the file names
    if (!isPlainPath(name))
      return void fail(
        ` entry ${JSON.stringify(name.slice(0, 200))}`,
        'a relative path inside the crate (no .., not absolute)',
        name.slice(0, 200),
      );
    if (file.compression !== 0 && file.compression !== 8)
      return void fail(
        ` entry ${name}`,
        'stored or deflated (no encryption, no other compression)',
        `compression ${file.compression}`,
      );
    mkdirSync(dirname(`${dir}/${name}`), { recursive: true });
    const fd = openSync(`${dir}/${name}`, 'wx'); // 'wx': a repeated name cannot overwrite an earlier entry
    open.push(fd);
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) return void fail(` entry ${name}`, 'a readable zip entry', err.message);
      total += data.length;
      if (total > limits.maxBytes)
        return void fail('', `at most ${limits.maxBytes} bytes once unpacked`, `more (at ${name})`);
      writeSync(fd, data);
      if (final) closeSync(open.splice(open.indexOf(fd), 1)[0]);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    for await (const chunk of createReadStream(zipPath, { highWaterMark: 1 << 20 })) {
      unzip.push(chunk as Uint8Array);
      if (failure) break;
    }
    if (!failure) unzip.push(new Uint8Array(0), true);
  } catch (err) {
    fail('', 'a zip file', err instanceof Error ? err.message : String(err));
  } finally {
    for (const fd of open) closeSync(fd);
  }
  if (failure) throw failure;
  if (entries === 0) throw new ParameterError(zipPath, 'a zip of an RO-Crate', 'no zip entries');
}
