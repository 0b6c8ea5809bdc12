import { NwbFormatError, SpyglassError } from '@spyglass-wasm/core';
import type { H5 } from '../h5/h5wasm.js';
import { lastTrip } from '../h5/guard.js';
import { describeFailure } from '../h5/h5-errors.js';
import { isReference, toNumbers, toString1, toStrings } from '../h5/values.js';
import type { OpenedH5 } from '../source/open-h5.js';

/** HDF5 filters compiled into h5wasm (no plugins are loaded). */
const AVAILABLE_FILTERS: Record<number, string> = {
  1: 'deflate',
  2: 'shuffle',
  3: 'fletcher32',
  4: 'szip',
  5: 'nbit',
  6: 'scaleoffset',
};

/** Registered ids of common filters h5wasm lacks, to name them when a file uses one. */
const KNOWN_FILTERS: Record<number, string> = {
  307: 'bzip2',
  32000: 'lzf',
  32001: 'blosc',
  32004: 'lz4',
  32008: 'bitshuffle',
  32013: 'zfp',
  32015: 'zstd',
  32017: 'sz',
  32026: 'blosc2',
};

/** The part of h5wasm's module the checked reads call directly. */
interface RawModule {
  get_dataset_data(
    fileId: bigint,
    path: string,
    count: bigint[] | null,
    offset: bigint[] | null,
    strides: bigint[] | null,
    ptr: bigint,
  ): number;
  _malloc(n: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
}

/** A numeric read's result: the stored integer/float type (64-bit integers become Float64Array). */
export type NumericArray =
  Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/** Objects the listing met but could not open, and why. */
export interface SkippedObject {
  path: string;
  reason: string;
}

/**
 * Typed access to one open HDF5 file: every miss or wrong type becomes an NwbFormatError naming
 * the file and the HDF5 path, and h5wasm's own failures (HDF5 errors, JavaScript and WebAssembly
 * errors) are turned into one-line NwbFormatErrors the same way, at `guard`, the reader's boundary.
 */
export class H5Reader {
  readonly file: H5.File;
  readonly name: string;
  readonly allowExternal: boolean;
  /** Objects a listing skipped (unreadable links or groups), with the reason. */
  readonly skipped: SkippedObject[] = [];
  /** The HDF5 path of the object last touched, to name where a raw error came from. */
  private lastPath = '/';

  constructor(
    private readonly opened: Pick<OpenedH5, 'file' | 'name' | 'run' | 'allowExternal'>,
    private readonly module: RawModule,
  ) {
    this.file = opened.file;
    this.name = opened.name;
    this.allowExternal = opened.allowExternal;
  }

  fail(path: string, expected: string, cause?: unknown): never {
    throw new NwbFormatError(this.name, path, expected, cause);
  }

  /** Fails at `path` with `expected` plus, for a raw error, what went wrong in one line. */
  failWith(path: string, expected: string, err: unknown): never {
    if (err instanceof SpyglassError) throw err;
    this.fail(path, `${expected} (${describeFailure(err, lastTrip())})`, err);
  }

  /**
   * Runs `fn` under the file's read policy and turns whatever escapes it into an NwbFormatError
   * naming the file and the last HDF5 path touched: the boundary every public read goes through.
   */
  guard<T>(path: string, fn: () => T): T {
    this.lastPath = path;
    return this.opened.run(() => {
      try {
        return fn();
      } catch (err) {
        this.failWith(this.lastPath, 'readable NWB data', err);
      }
    });
  }

  /** The object at `path`, or undefined when absent. External links that cannot be followed fail. */
  find(path: string): H5.Dataset | H5.Group | undefined {
    this.lastPath = path;
    let entity: unknown;
    try {
      entity = this.file.get(path);
    } catch (err) {
      this.failWith(path, 'a readable HDF5 object', err);
    }
    if (isExternalLink(entity)) {
      this.fail(
        path,
        `an object inside the file (an external link to ${entity.filename}:${entity.obj_path}, ${this.allowExternal ? 'which cannot be opened' : 'refused: pass { allowExternal: true } to follow it'})`,
      );
    }
    return this.isGroup(entity) || this.isDataset(entity) ? entity : undefined;
  }

  // By shape, not class name: bundlers rename classes, and the Node and in-memory builds of h5wasm
  // have distinct classes.
  isGroup(x: unknown): x is H5.Group {
    return (
      typeof x === 'object' &&
      x !== null &&
      typeof (x as H5.Group).keys === 'function' &&
      typeof (x as H5.Group).create_group === 'function'
    );
  }

  isDataset(x: unknown): x is H5.Dataset {
    return (
      typeof x === 'object' && x !== null && typeof (x as H5.Dataset).slice === 'function' && 'shape' in (x as object)
    );
  }

  group(path: string, expected = 'a group'): H5.Group {
    const g = this.find(path);
    if (!this.isGroup(g)) this.fail(path, expected);
    return g;
  }

  dataset(path: string, expected = 'a dataset'): H5.Dataset {
    const d = this.find(path);
    if (!this.isDataset(d)) this.fail(path, expected);
    return d;
  }

  /** A dataset's metadata (shape, type, chunks, virtual sources), wrapped errors. */
  metadata(path: string, d = this.dataset(path)): H5.Dataset['metadata'] {
    try {
      return d.metadata;
    } catch (err) {
      this.failWith(path, 'readable dataset metadata', err);
    }
  }

  /**
   * Why a dataset's values cannot be read here, or undefined: a virtual dataset (sources in other
   * files) unless allowed, or a filter h5wasm does not have.
   */
  storageProblem(path: string, d = this.dataset(path)): string | undefined {
    const meta = this.metadata(path, d) as H5.Dataset['metadata'] & {
      virtual_sources?: { file_name: string; dset_name: string }[];
    };
    if (meta.virtual_sources?.length && !this.allowExternal) {
      const sources = meta.virtual_sources.map((s) => `${s.file_name}:${s.dset_name}`).join(', ');
      return `data stored in this file (it is a virtual dataset reading ${sources}; refused: pass { allowExternal: true } to read it)`;
    }
    const missing = this.filters(path, d).filter((f) => AVAILABLE_FILTERS[f.id] === undefined);
    if (missing.length) {
      const names = missing.map((f) => `'${f.name || KNOWN_FILTERS[f.id] || 'unnamed'}' (id ${f.id})`).join(', ');
      return `data compressed with filters h5wasm has (${Object.values(AVAILABLE_FILTERS).join(', ')}); it uses ${names}`;
    }
    return undefined;
  }

  /** A dataset's filter pipeline ([] when unreadable: the read then says what is wrong). */
  filters(path: string, d = this.dataset(path)): { id: number; name: string }[] {
    try {
      return d.filters.map((f) => ({ id: f.id, name: f.name }));
    } catch {
      return [];
    }
  }

  private checkStorage(path: string, d: H5.Dataset): void {
    const problem = this.storageProblem(path, d);
    if (problem) this.fail(path, problem);
  }

  /** A dataset's whole value, wrapped errors. */
  value(path: string): unknown {
    const d = this.dataset(path);
    this.checkStorage(path, d);
    try {
      return d.value;
    } catch (err) {
      this.failWith(path, 'a readable dataset', err);
    }
  }

  /**
   * Numbers of a numeric dataset (or of `ranges` of it, [start, end) per dimension), read by
   * h5wasm's low-level call into a fresh buffer whose status is checked: a failed read (a corrupt
   * chunk, a missing filter) raises, it never returns what a buffer held before.
   */
  readNumeric(path: string, ranges?: readonly (readonly [number, number])[]): NumericArray {
    const d = this.dataset(path);
    this.checkStorage(path, d);
    const meta = this.metadata(path, d);
    const shape = meta.shape ?? [];
    if (!isPlainNumeric(meta)) {
      const v = ranges ? this.slice(path, d, ranges) : this.value(path);
      if (typeof v === 'string' || (Array.isArray(v) && typeof v[0] === 'string')) this.fail(path, 'numbers', v);
      return toNumbers(v);
    }
    const sel = ranges ?? shape.map((n) => [0, n] as const);
    if (sel.length !== shape.length || sel.some(([a, b], i) => !(a >= 0 && b >= a && b <= shape[i])))
      this.fail(path, `a selection within the shape [${shape.join(', ')}]`, sel);
    const count = sel.map(([a, b]) => b - a);
    const total = count.reduce((a, b) => a * b, 1);
    const nbytes = total * meta.size;
    if (!(nbytes <= 2 ** 31)) this.fail(path, `a read of at most 2 GiB (this one is ${nbytes} bytes)`);
    const out = allocate(meta, total);
    if (total === 0) return out;
    const m = this.module;
    const ptr = m._malloc(nbytes);
    if (!ptr) this.fail(path, `${nbytes} bytes of memory for a read`);
    try {
      let status: number;
      try {
        status = m.get_dataset_data(
          d.file_id,
          d.path,
          ranges ? count.map(BigInt) : null,
          ranges ? sel.map(([a]) => BigInt(a)) : null,
          ranges ? count.map(() => 1n) : null,
          BigInt(ptr),
        );
      } catch (err) {
        this.failWith(path, this.readExpectation(path, d, sel), err);
      }
      if (status < 0) this.fail(path, `${this.readExpectation(path, d, sel)} (HDF5 read status ${status})`);
      copyOut(m.HEAPU8.subarray(ptr, ptr + nbytes), meta, out);
    } finally {
      m._free(ptr);
    }
    return out;
  }

  private readExpectation(path: string, d: H5.Dataset, sel: readonly (readonly [number, number])[]): string {
    const filters = this.filters(path, d).map((f) => f.name || `id ${f.id}`);
    const where = sel.length ? ` rows ${sel[0][0]}..${sel[0][1]}` : '';
    return `readable data${where}${filters.length ? ` (filters: ${filters.join(', ')})` : ''}`;
  }

  private slice(path: string, d: H5.Dataset, ranges: readonly (readonly [number, number])[]): unknown {
    try {
      return d.slice(ranges.map(([a, b]) => [a, b]));
    } catch (err) {
      this.failWith(path, 'a readable dataset', err);
    }
  }

  numbers(path: string): Float64Array {
    return toNumbers(this.readNumeric(path));
  }

  strings(path: string): string[] {
    return toStrings(this.value(path));
  }

  /** A scalar string dataset, or undefined when absent. */
  optionalString(path: string): string | undefined {
    return this.isDataset(this.find(path)) ? toString1(this.value(path)) : undefined;
  }

  optionalNumber(path: string): number | undefined {
    return this.isDataset(this.find(path)) ? this.numbers(path)[0] : undefined;
  }

  attr(path: string, key: string): unknown {
    const obj = this.find(path);
    if (!obj) return undefined;
    this.lastPath = `${path}@${key}`;
    try {
      return obj.attrs[key]?.value ?? undefined;
    } catch (err) {
      this.failWith(`${path}@${key}`, 'a readable attribute', err);
    }
  }

  attrString(path: string, key: string): string | undefined {
    const v = this.attr(path, key);
    return v === undefined ? undefined : toString1(v);
  }

  attrNumber(path: string, key: string): number | undefined {
    const v = this.attr(path, key);
    return v === undefined ? undefined : toNumbers(v)[0];
  }

  neurodataType(path: string): string | undefined {
    return this.attrString(path, 'neurodata_type');
  }

  /** The HDF5 path an object reference points to. */
  dereference(ref: unknown, at: string): string {
    if (!isReference(ref)) this.fail(at, 'an object reference', ref);
    this.lastPath = at;
    try {
      const target = this.file.dereference(ref as H5.Reference) as { path?: string } | null;
      if (!target?.path) this.fail(at, 'a reference to an existing object');
      return target.path;
    } catch (err) {
      this.failWith(at, 'a reference h5wasm can follow', err);
    }
  }

  /** Child names of a group (empty for a missing group). */
  keys(path: string): string[] {
    const g = this.find(path);
    if (!this.isGroup(g)) return [];
    try {
      return g.keys();
    } catch (err) {
      this.failWith(path, 'a group whose members can be listed', err);
    }
  }

  /**
   * Every group under `root` (depth first, root included) whose neurodata_type is in `types`.
   * A member that cannot be opened is skipped and recorded in `skipped`, never fatal; the walk
   * visits at most `limit` objects.
   */
  findTyped(root: string, types: ReadonlySet<string>, limit = 100_000): string[] {
    const out: string[] = [];
    let visited = 0;
    const visit = (path: string, depth: number) => {
      if (++visited > limit) return this.skip(path, `more than ${limit} objects under ${root}: not listed`);
      try {
        const type = this.neurodataType(path);
        if (type && types.has(type)) out.push(path);
        if (depth > 8) return;
        for (const k of this.keys(path)) {
          const child = path === '/' ? `/${k}` : `${path}/${k}`;
          let isGroup = false;
          try {
            isGroup = this.isGroup(this.find(child));
          } catch (err) {
            this.skip(child, err instanceof Error ? err.message : String(err));
          }
          if (isGroup) visit(child, depth + 1);
        }
      } catch (err) {
        this.skip(path, err instanceof Error ? err.message : String(err));
      }
    };
    let exists = false;
    try {
      exists = this.find(root) !== undefined;
    } catch (err) {
      this.skip(root, err instanceof Error ? err.message : String(err));
    }
    if (exists) visit(root, 0);
    return out;
  }

  private skip(path: string, reason: string): void {
    if (!this.skipped.some((s) => s.path === path)) this.skipped.push({ path, reason });
  }
}

function isExternalLink(x: unknown): x is { filename: string; obj_path: string } {
  return typeof x === 'object' && x !== null && 'filename' in x && 'obj_path' in x;
}

/** Integers of 1, 2, 4 or 8 bytes and float32/float64: what the checked read handles itself. */
function isPlainNumeric(meta: { type: number; size: number; vlen?: boolean }): boolean {
  if (meta.vlen) return false;
  return (
    (meta.type === 0 && [1, 2, 4, 8].includes(meta.size)) || (meta.type === 1 && (meta.size === 4 || meta.size === 8))
  );
}

function allocate(meta: { type: number; size: number; signed: boolean }, n: number): NumericArray {
  if (meta.type === 1) return meta.size === 4 ? new Float32Array(n) : new Float64Array(n);
  if (meta.size === 1) return meta.signed ? new Int8Array(n) : new Uint8Array(n);
  if (meta.size === 2) return meta.signed ? new Int16Array(n) : new Uint16Array(n);
  if (meta.size === 4) return meta.signed ? new Int32Array(n) : new Uint32Array(n);
  return new Float64Array(n);
}

/** Copies little-endian bytes (h5wasm reads into little-endian memory types) into `out`. */
function copyOut(bytes: Uint8Array, meta: { type: number; size: number; signed: boolean }, out: NumericArray): void {
  const aligned = bytes.slice(); // own buffer: aligned, and detached from wasm memory
  if (meta.type === 0 && meta.size === 8) {
    const src = meta.signed ? new BigInt64Array(aligned.buffer) : new BigUint64Array(aligned.buffer);
    for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
    return;
  }
  out.set(new (out.constructor as new (b: ArrayBuffer) => NumericArray)(aligned.buffer));
}
