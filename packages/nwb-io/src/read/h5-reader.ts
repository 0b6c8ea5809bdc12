import { NwbFormatError } from '@spyglass-wasm/core';
import type { H5 } from '../h5/h5wasm.js';
import { isReference, toNumbers, toString1, toStrings } from '../h5/values.js';

/**
 * Typed access to one open HDF5 file: every miss or wrong type becomes an NwbFormatError naming
 * the file and the HDF5 path, and h5wasm's own failures are wrapped the same way.
 */
export class H5Reader {
  constructor(
    readonly file: H5.File,
    readonly name: string,
  ) {}

  fail(path: string, expected: string, cause?: unknown): never {
    throw new NwbFormatError(this.name, path, expected, cause);
  }

  /** The object at `path`, or undefined when absent. */
  find(path: string): H5.Dataset | H5.Group | undefined {
    let entity: unknown;
    try {
      entity = this.file.get(path);
    } catch (err) {
      this.fail(path, 'a readable HDF5 object', err);
    }
    return this.isGroup(entity) || this.isDataset(entity) ? entity : undefined;
  }

  // By shape, not class name: bundlers rename classes, and the Node and in-memory builds of h5wasm
  // have distinct classes.
  isGroup(x: unknown): x is H5.Group {
    return typeof x === 'object' && x !== null && typeof (x as H5.Group).keys === 'function' && typeof (x as H5.Group).create_group === 'function';
  }

  isDataset(x: unknown): x is H5.Dataset {
    return typeof x === 'object' && x !== null && typeof (x as H5.Dataset).slice === 'function' && 'shape' in (x as object);
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

  /** A dataset's whole value, wrapped errors. */
  value(path: string): unknown {
    const d = this.dataset(path);
    try {
      return d.value;
    } catch (err) {
      this.fail(path, 'a readable dataset', err);
    }
  }

  numbers(path: string): Float64Array {
    const v = this.value(path);
    if (typeof v === 'string' || (Array.isArray(v) && typeof v[0] === 'string')) this.fail(path, 'numbers', v);
    return toNumbers(v);
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
    try {
      return obj.attrs[key]?.value ?? undefined;
    } catch (err) {
      this.fail(`${path}@${key}`, 'a readable attribute', err);
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
    try {
      const target = this.file.dereference(ref as H5.Reference) as { path?: string } | null;
      if (!target?.path) this.fail(at, 'a reference to an existing object');
      return target.path;
    } catch (err) {
      if (err instanceof NwbFormatError) throw err;
      this.fail(at, 'a reference h5wasm can follow', err);
    }
  }

  /** Child names of a group (empty for a missing group). */
  keys(path: string): string[] {
    const g = this.find(path);
    return this.isGroup(g) ? g.keys() : [];
  }

  /** Every group under `root` (depth first, root included) whose neurodata_type is in `types`. */
  findTyped(root: string, types: ReadonlySet<string>): string[] {
    const out: string[] = [];
    const visit = (path: string, depth: number) => {
      const type = this.neurodataType(path);
      if (type && types.has(type)) out.push(path);
      if (depth > 8) return;
      for (const k of this.keys(path)) {
        const child = path === '/' ? `/${k}` : `${path}/${k}`;
        if (this.isGroup(this.find(child))) visit(child, depth + 1);
      }
    };
    if (this.find(root)) visit(root, 0);
    return out;
  }
}
