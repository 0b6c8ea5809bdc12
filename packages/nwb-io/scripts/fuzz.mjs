#!/usr/bin/env node
// Fuzz suite of the NWB reader: mutates bytes of NWB files (the shared fixtures and public files,
// read where they are, never copied; and small files written here with NwbWriter), reads each
// mutated file in a child process with a time bound, and sorts what happened:
//   identical  opened and read, every value as in the original file
//   clean      a typed, one-line error (NwbFormatError, ParameterError)
//   warned     values differ from the original, and the reader said so (a series/position warning or a skipped object)
//   changed    values differ, no error: the mutation hit bytes nothing can check (uncompressed samples,
//              metadata values of files without checksums); expected, counted apart
//   silent     values differ, no error, and the mutation hit a compressed data chunk: must be 0
//   crash      an untyped or multi-line error, or the reader process died
//   hang       no answer within the time bound
//   stderr     (extra count) files whose reading printed anything to stderr
// Usage: node packages/nwb-io/scripts/fuzz.mjs [--files 1000] [--seed 1] [--timeout 30000]
// (needs the built package: npm run build). Prints the figures; --json prints them as JSON.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));
const CHILD = join(here, 'fuzz-child.mjs');
// The project's shared fixtures sit beside the repository (../shared/fixtures from its root);
// SPYGLASS_FIXTURES points elsewhere.
const SHARED =
  [process.env.SPYGLASS_FIXTURES, join(here, '../../../../shared/fixtures'), '/work/shared/fixtures'].find(
    (d) => d && existsSync(d),
  ) ?? '';

/** A small seeded generator (mulberry32): the same seed mutates the same bytes. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Byte ranges [start, end) of the zlib streams in a file: its deflate-compressed chunks. */
export function compressedChunks(bytes) {
  const found = [];
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (bytes[i] !== 0x78 || ((0x78 << 8) | bytes[i + 1]) % 31 !== 0) continue;
    try {
      const { engine } = zlib.inflateSync(bytes.subarray(i, Math.min(bytes.length, i + (16 << 20))), { info: true });
      if (engine.bytesWritten < 8) continue;
      found.push([i, i + engine.bytesWritten]);
      i += engine.bytesWritten - 1;
    } catch {
      // not a stream start
    }
  }
  return found;
}

/** The shared and public fixture files that exist on this machine. */
export function fixtureFiles(dir = SHARED) {
  const files = ['tetrode-session.nwb', 'linear-track-units.nwb'].map((f) => join(dir, f));
  const pub = join(dir, 'public');
  if (existsSync(pub))
    files.push(
      ...readdirSync(pub)
        .filter((f) => f.endsWith('.nwb'))
        .sort()
        .map((f) => join(pub, f)),
    );
  return files.filter((f) => existsSync(f));
}

/** Small NWB files written with NwbWriter: a gzip-chunked series, an uncompressed one, units, position, intervals. */
export async function writeSmallFiles(dir) {
  const { NwbWriter } = await import('../dist/index.js');
  const session = { identifier: 'fuzz', sessionDescription: 'fuzz input', sessionStartTime: '2024-01-01T00:00:00Z' };
  const out = [];
  for (const [name, chunkRows] of [
    ['small-gzip.nwb', 256],
    ['small-onechunk.nwb', undefined],
  ]) {
    const path = join(dir, name);
    const w = await NwbWriter.create(path, session);
    w.addElectrodes({ groups: [{ name: 'tetrode0' }], group: ['tetrode0', 'tetrode0', 'tetrode0', 'tetrode0'] });
    const rows = 2048,
      data = new Int16Array(rows * 4);
    for (let i = 0; i < data.length; i++) data[i] = Math.round(300 * Math.sin(i / 7) + ((i * 7919) % 61));
    w.addElectricalSeries({
      name: 'raw',
      module: 'ecephys',
      container: null,
      data: { data, rows, cols: 4 },
      electrodes: [0, 1, 2, 3],
      rate: 30000,
      conversion: 1.95e-7,
      chunkRows,
    });
    w.addUnits({
      spikeTimes: [Float64Array.of(0.1, 0.2, 0.35), Float64Array.of(0.05)],
      electrodeGroups: ['tetrode0', 'tetrode0'],
      columns: { quality: { values: ['good', 'mua'] } },
    });
    const pos = new Float32Array(200 * 2).map((_, i) => i / 10);
    w.addTimeSeries({
      name: 'position',
      module: 'behavior',
      container: 'Position',
      data: { data: pos, rows: 200, cols: 2 },
      unit: 'meters',
      rate: 30,
      spatial: { referenceFrame: 'track start' },
    });
    w.addTimeIntervals({
      name: 'epochs',
      start: [0, 1],
      stop: [1, 2],
      columns: { tags: { values: ['run', 'sleep'] } },
    });
    await w.close();
    out.push(path);
  }
  return out;
}

const MUTATIONS = ['flip', 'flip', 'zero-run', 'random-run', 'chunk-flip', 'metadata-flip'];

/** One mutation of `bytes` (a copy): what, where, and whether it hit a compressed chunk. */
export function mutate(bytes, chunks, random) {
  const out = Uint8Array.from(bytes);
  const pick = (n) => Math.floor(random() * n);
  let kind = MUTATIONS[pick(MUTATIONS.length)];
  if (kind === 'chunk-flip' && chunks.length === 0) kind = 'flip';
  let at,
    length = 1;
  if (kind === 'chunk-flip') {
    const [s, e] = chunks[pick(chunks.length)];
    at = s + pick(e - s);
  } else if (kind === 'metadata-flip') {
    // HDF5 metadata sits mostly at the start and the end of a file written by h5py/h5wasm.
    const span = Math.min(bytes.length, 65536);
    at = random() < 0.5 ? pick(span) : bytes.length - 1 - pick(span);
  } else at = pick(bytes.length);
  if (kind === 'zero-run') length = 1 + pick(64);
  if (kind === 'random-run') length = 1 + pick(16);
  for (let i = at; i < Math.min(out.length, at + length); i++) {
    if (kind === 'zero-run') out[i] = 0;
    else if (kind === 'random-run') out[i] = pick(256);
    else out[i] ^= 1 + pick(255);
  }
  const end = Math.min(out.length, at + length);
  const changed = out.subarray(at, end).some((b, i) => b !== bytes[at + i]);
  const inChunk = chunks.some(([s, e]) => at < e && end > s);
  return { bytes: out, kind, at, length, changed, inChunk };
}

/** A reader process that answers one file at a time; killed and replaced after a hang or a crash. */
class Reader {
  constructor() {
    this.start();
  }
  start() {
    this.stderr = '';
    this.child = fork(CHILD, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.stderr.on('data', (d) => (this.stderr += d));
    this.ready = new Promise((resolve) => this.child.once('message', resolve));
  }
  async read(path, timeoutMs) {
    await this.ready;
    this.stderr = '';
    const child = this.child;
    return new Promise((resolve) => {
      const done = (r) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve({ ...r, stderr: this.stderr });
      };
      const onMessage = (m) => done({ status: 'answered', ...m });
      const onExit = (code, signal) => {
        done({ status: 'died', detail: `exit ${code ?? ''}${signal ?? ''}` });
        this.start();
      };
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        child.kill('SIGKILL');
        done({ status: 'hang' });
        this.start();
      }, timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ id: 1, path });
    });
  }
  close() {
    this.child.kill('SIGKILL');
  }
}

/** Sorts one answer against the original file's. */
export function classify(answer, baseline, mutation) {
  if (answer.status === 'hang') return { outcome: 'hang' };
  if (answer.status === 'died') return { outcome: 'crash', detail: answer.detail };
  const errors = Object.entries(answer.ops).filter(([, v]) => v && typeof v === 'object' && 'error' in v);
  const bad = errors.find(([, v]) => !v.error.typed || !v.error.oneLine);
  if (bad) return { outcome: 'crash', detail: `${bad[0]}: ${bad[1].error.name}: ${bad[1].error.message}` };
  if (errors.length) return { outcome: 'clean', detail: `${errors[0][0]}: ${errors[0][1].error.message}` };
  const differs = Object.keys({ ...baseline.ops, ...answer.ops }).filter(
    (k) => JSON.stringify(baseline.ops[k]) !== JSON.stringify(answer.ops[k]),
  );
  if (differs.length === 0) return { outcome: 'identical' };
  const newWarnings = answer.warnings.filter((w) => !baseline.warnings.includes(w));
  if (newWarnings.length) return { outcome: 'warned', detail: newWarnings[0] };
  if (mutation.inChunk)
    return {
      outcome: 'silent',
      detail: `${differs.join(', ')} differ (mutation at byte ${mutation.at} inside a compressed chunk)`,
    };
  return { outcome: 'changed', detail: `${differs.join(', ')} differ` };
}

/**
 * Runs `files` mutated files (seeded) over `bases` and returns the counts and the notable cases.
 * `timeoutMs` bounds each file's read (a hang is an answer that does not come).
 */
export async function runFuzz({ files = 1000, seed = 1, timeoutMs = 30000, bases, log = () => {} } = {}) {
  const dir = mkdtempSync(join(os.tmpdir(), 'nwb-fuzz-'));
  const reader = new Reader();
  const counts = { files: 0, identical: 0, clean: 0, warned: 0, changed: 0, silent: 0, crash: 0, hang: 0, stderr: 0 };
  const notable = [];
  try {
    const inputs = bases ?? [...fixtureFiles(), ...(await writeSmallFiles(dir))];
    const originals = [];
    for (const path of inputs) {
      const bytes = new Uint8Array(readFileSync(path));
      const baseline = await reader.read(path, timeoutMs * 4);
      if (baseline.status !== 'answered')
        throw new Error(`${path}: the unmutated file did not read (${baseline.status})`);
      originals.push({ path, bytes, chunks: compressedChunks(bytes), baseline });
    }
    const random = rng(seed);
    for (let n = 0; n < files; n++) {
      const base = originals[n % originals.length];
      const mutation = mutate(base.bytes, base.chunks, random);
      const path = join(dir, `mutant-${n}.nwb`);
      writeFileSync(path, mutation.bytes);
      const answer = await reader.read(path, timeoutMs);
      rmSync(path, { force: true });
      const { outcome, detail } = classify(answer, base.baseline, mutation);
      counts.files++;
      counts[outcome]++;
      if (answer.stderr) counts.stderr++;
      const label = `${n} ${base.path.split('/').pop()} ${mutation.kind}@${mutation.at}+${mutation.length}`;
      if (['crash', 'hang', 'silent'].includes(outcome) || answer.stderr)
        notable.push({ label, outcome, detail, stderr: answer.stderr?.slice(0, 300) });
      log(`${label}: ${outcome}${detail ? ` (${detail.slice(0, 200)})` : ''}`);
    }
  } finally {
    reader.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { counts, notable };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const verbose = process.argv.includes('--verbose');
  const t0 = Date.now();
  const { counts, notable } = await runFuzz({
    files: arg('files', 1000),
    seed: arg('seed', 1),
    timeoutMs: arg('timeout', 30000),
    log: verbose ? (l) => console.log(l) : undefined,
  });
  if (process.argv.includes('--json')) console.log(JSON.stringify({ counts, notable }, null, 2));
  else {
    for (const x of notable)
      console.log(
        `${x.outcome}: ${x.label}: ${x.detail ?? ''}${x.stderr ? ` [stderr: ${x.stderr.split('\n')[0]}]` : ''}`,
      );
    console.log(
      `files tried ${counts.files}: identical ${counts.identical}, clean errors ${counts.clean}, warned ${counts.warned}, changed (unverifiable bytes) ${counts.changed}, silent wrong ${counts.silent}, crashes ${counts.crash}, hangs ${counts.hang}; printed to stderr ${counts.stderr} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  process.exitCode = counts.crash + counts.hang + counts.silent > 0 ? 1 : 0;
}
