import { loadH5wasm } from '@spyglass-wasm/nwb-io';
import { nodeFsPromises, nodeOs } from '../platform.node.js';

/** What legitimately differs between two writes of the same analysis NWB file: the time of writing. */
const IGNORED = new Set(['/file_create_date']);
/** Attributes NWB writers fill with a fresh random UUID per object: identifiers, not data. */
const IGNORED_ATTRIBUTES = new Set(['object_id']);
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** Objects compared at most (an analysis file has tens; a crafted one could have millions). */
const MAX_OBJECTS = 100_000;

/**
 * Compares a shipped analysis NWB file with its regeneration: every group, dataset (dtype, shape,
 * values) and attribute but `/file_create_date` and the random `object_id` UUIDs. Returns the first difference, or
 * undefined.
 * verify uses it because NWB files stamp their time of writing, so equal data are not equal bytes.
 *
 * @example
 * const diff = await compareNwbFiles('crate/results/lfp.nwb', regeneratedBytes);
 */
export async function compareNwbFiles(shippedPath: string, regenerated: Uint8Array): Promise<string | undefined> {
  const { writeFile, rm, open } = await nodeFsPromises();
  // h5wasm opens any file and fails later on: look for the HDF5 signature first
  const head = new Uint8Array(8);
  const fh = await open(shippedPath, 'r');
  await fh.read(head, 0, 8, 0).finally(() => fh.close());
  if (!HDF5_SIGNATURE.every((b, i) => head[i] === b)) return 'not an HDF5 file';
  const { tmpdir } = await nodeOs();
  const { h5 } = await loadH5wasm();
  const scratch = `${tmpdir()}/spyglass-regenerated-${process.pid}-${Math.random().toString(36).slice(2)}.nwb`;
  await writeFile(scratch, regenerated);
  let shipped: H5Group | undefined;
  let fresh: H5Group | undefined;
  try {
    try {
      shipped = new h5.File(shippedPath, 'r') as unknown as H5Group;
    } catch {
      return 'not an HDF5 file';
    }
    fresh = new h5.File(scratch, 'r') as unknown as H5Group;
    const budget = { left: MAX_OBJECTS };
    return compareGroup(shipped, fresh, '', budget);
  } finally {
    (shipped as unknown as { close?: () => void })?.close?.();
    (fresh as unknown as { close?: () => void })?.close?.();
    await rm(scratch, { force: true });
  }
}

interface H5Object {
  attrs: Record<string, { value: unknown }>;
}
interface H5Group extends H5Object {
  keys(): string[];
  get(name: string): H5Group | H5Dataset | null;
}
interface H5Dataset extends H5Object {
  dtype: unknown;
  shape: number[] | null;
  value: unknown;
}

function compareGroup(a: H5Group, b: H5Group, path: string, budget: { left: number }): string | undefined {
  const attrs = compareAttrs(a, b, path || '/');
  if (attrs) return attrs;
  const ka = a.keys().sort();
  const kb = b.keys().sort();
  if (JSON.stringify(ka) !== JSON.stringify(kb))
    return `${path || '/'} holds ${JSON.stringify(ka).slice(0, 200)}, expected ${JSON.stringify(kb).slice(0, 200)}`;
  for (const k of ka) {
    const p = `${path}/${k}`;
    if (IGNORED.has(p)) continue;
    if (--budget.left < 0) return `more than ${MAX_OBJECTS} objects`;
    const x = a.get(k);
    const y = b.get(k);
    const kind = (o: unknown) =>
      o && typeof (o as H5Group).keys === 'function' ? 'group' : o && 'shape' in (o as object) ? 'dataset' : 'other';
    if (kind(x) !== kind(y)) return `${p} is a ${kind(x)}, expected a ${kind(y)}`;
    if (kind(x) === 'group') {
      const d = compareGroup(x as H5Group, y as H5Group, p, budget);
      if (d) return d;
    } else if (kind(x) === 'dataset') {
      const dx = x as H5Dataset,
        dy = y as H5Dataset;
      if (canonical(dx.dtype) !== canonical(dy.dtype) || canonical(dx.shape) !== canonical(dy.shape))
        return `${p} has another type or shape`;
      if (canonical(dx.value) !== canonical(dy.value)) return `${p} holds other values`;
      const d = compareAttrs(dx, dy, p);
      if (d) return d;
    }
  }
  return undefined;
}

function compareAttrs(a: H5Object, b: H5Object, path: string): string | undefined {
  const names = new Set([...Object.keys(a.attrs ?? {}), ...Object.keys(b.attrs ?? {})]);
  for (const n of names) {
    if (IGNORED_ATTRIBUTES.has(n)) continue;
    if (canonical(a.attrs?.[n]?.value) !== canonical(b.attrs?.[n]?.value)) return `attribute ${n} of ${path} differs`;
  }
  return undefined;
}

/** A comparable string for h5wasm values: typed arrays by their bytes, bigints as text. */
function canonical(v: unknown): string {
  if (ArrayBuffer.isView(v))
    return `${v.constructor.name}:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}`;
  return (
    JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : ArrayBuffer.isView(x) ? canonical(x) : x)) ??
    'undefined'
  );
}
