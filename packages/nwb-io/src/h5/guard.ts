import { globalHeapProblem } from './global-heap.js';

/** What a read of one NWB file may do while it runs (h5wasm is synchronous: one policy at a time). */
export interface ReadPolicy {
  /** The file being read, as h5wasm sees it (its FS path). */
  fsPath: string;
  /** Let HDF5 open other files: external links, external raw storage, virtual dataset sources. */
  allowExternal: boolean;
}

/** What the guard refused during the current read, for the error message. */
export interface GuardTrip {
  kind: 'external' | 'global-heap' | 'read-budget';
  detail: string;
}

interface ErrnoFs {
  open(path: string, flags: unknown, mode?: unknown): unknown;
  read(stream: { path?: string }, buffer: Uint8Array, offset: number, length: number, position?: number): number;
  ErrnoError: new (errno: number) => Error;
}

interface HardenableModule {
  activate_throwing_error_handler(): number;
  MAXIMUM_MEMORY: number;
  _malloc(n: number): number;
  HEAPU8: Uint8Array;
  FS: ErrnoFs;
}

const EACCES = 2,
  EIO = 29;
// Bytes one guarded call may read, as a multiple of the file (plus a floor): a legitimate read
// touches each byte a few times at most; a corrupt structure that keeps re-reading is cut off.
const READ_BUDGET_FACTOR = 64,
  READ_BUDGET_FLOOR = 256 << 20;

let policy: ReadPolicy | undefined;
let budget = { bytes: 0, limit: Infinity };
let trip: GuardTrip | undefined;
const checkedHeaps = new Map<string, Map<number, string | undefined>>();
const hardened = new WeakSet<object>();

/**
 * Makes one h5wasm runtime safe for hostile files, once:
 * - HDF5 failures throw (h5wasm's throwing error handler) instead of printing HDF5-DIAG to
 *   stderr and returning whatever the output buffer held;
 * - every buffer h5wasm allocates is zeroed, so a failed read can never hand back a previous
 *   read's samples, and freeing a half-read variable-length buffer frees nothing stale;
 * - while a policy is active, opening any other file (external links, external storage, virtual
 *   dataset sources) is refused unless allowed, global heap collections are checked before HDF5
 *   decodes them, and the bytes read are bounded.
 */
export function hardenRuntime(module: HardenableModule): void {
  if (hardened.has(module)) return;
  hardened.add(module);
  module.activate_throwing_error_handler();
  const malloc = module._malloc.bind(module);
  module._malloc = (n: number) => {
    // More than the heap can ever grow to (a corrupt size): fail here, before Emscripten prints
    // "Cannot enlarge memory" to stderr; h5wasm then throws its allocation error.
    if (n > module.MAXIMUM_MEMORY - module.HEAPU8.length) return 0;
    const ptr = malloc(n);
    if (ptr) module.HEAPU8.fill(0, ptr, ptr + n);
    return ptr;
  };
  const FS = module.FS;
  const open = FS.open.bind(FS);
  FS.open = (path, flags, mode) => {
    // h5wasm's error handler formats the HDF5 error stack through tmpfile(): always allowed.
    if (policy && !policy.allowExternal && path !== policy.fsPath && !/^\/tmp\/tmpfile_/.test(path)) {
      trip = { kind: 'external', detail: path };
      throw new FS.ErrnoError(EACCES);
    }
    return open(path, flags, mode);
  };
  const read = FS.read.bind(FS);
  FS.read = (stream, buffer, offset, length, position) => {
    const n = read(stream, buffer, offset, length, position);
    if (!policy || n <= 0) return n;
    budget.bytes += n;
    if (budget.bytes > budget.limit) {
      trip = { kind: 'read-budget', detail: `${budget.bytes} bytes read` };
      throw new FS.ErrnoError(EIO);
    }
    if (position !== undefined && stream.path)
      checkHeaps(FS, stream, buffer.subarray(offset, offset + n), position, read);
    return n;
  };
}

type RawRead = ErrnoFs['read'];
type Stream = { path?: string };

/** Validates every global heap collection that starts in `bytes` (read from `position`). */
function checkHeaps(FS: ErrnoFs, stream: Stream, bytes: Uint8Array, position: number, read: RawRead): void {
  for (let i = indexOfGcol(bytes, 0); i >= 0; i = indexOfGcol(bytes, i + 1)) {
    if (i + 4 < bytes.length && bytes[i + 4] !== 1) continue; // text that happens to say GCOL
    const at = position + i;
    let seen = checkedHeaps.get(stream.path!);
    if (!seen) checkedHeaps.set(stream.path!, (seen = new Map()));
    if (!seen.has(at)) seen.set(at, heapProblemAt(stream, at, read));
    const problem = seen.get(at);
    if (problem) {
      trip = { kind: 'global-heap', detail: `the global heap collection at byte ${at} has ${problem}` };
      throw new FS.ErrnoError(EIO);
    }
  }
}

function heapProblemAt(stream: Stream, at: number, read: RawRead): string | undefined {
  const head = new Uint8Array(16);
  if (read(stream, head, 0, 16, at) < 16) return 'a truncated header';
  const size = Number(new DataView(head.buffer).getBigUint64(8, true));
  const available = (sizes.get(stream.path!) ?? Infinity) - at;
  const problem = globalHeapProblem(head, available);
  if (problem || size > 1 << 30) return problem ?? `a size of ${size} bytes`;
  const whole = new Uint8Array(size);
  if (read(stream, whole, 0, size, at) < size) return 'a truncated body';
  return globalHeapProblem(whole, available);
}

const sizes = new Map<string, number>();

function indexOfGcol(bytes: Uint8Array, from: number): number {
  for (let i = bytes.indexOf(0x47, from); i >= 0 && i + 3 < bytes.length; i = bytes.indexOf(0x47, i + 1)) {
    if (bytes[i + 1] === 0x43 && bytes[i + 2] === 0x4f && bytes[i + 3] === 0x4c) return i; // "GCOL"
  }
  return -1;
}

/**
 * Runs `fn` (synchronous h5wasm calls on one file of `size` bytes) under `p`: other files refused
 * unless allowed, global heaps checked, bytes read bounded. A nested call on the same file shares
 * the outer call's budget. `lastTrip()` says what the guard refused when fn fails.
 */
export function underPolicy<T>(p: ReadPolicy, size: number, fn: () => T): T {
  if (policy && policy.fsPath === p.fsPath) return fn();
  const outer = { policy, budget };
  policy = p;
  budget = { bytes: 0, limit: Math.max(READ_BUDGET_FLOOR, READ_BUDGET_FACTOR * size) };
  sizes.set(p.fsPath, size);
  trip = undefined;
  try {
    return fn();
  } finally {
    ({ policy, budget } = outer);
  }
}

/** What the guard refused during the last guarded call (cleared when the next one starts). */
export function lastTrip(): GuardTrip | undefined {
  return trip;
}

/** Forgets what was checked of a file (it was closed; the path may hold another file next). */
export function forgetFile(fsPath: string): void {
  checkedHeaps.delete(fsPath);
  sizes.delete(fsPath);
}
