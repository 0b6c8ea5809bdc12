import { ParameterError, checkChoice, checkNumber, type FloatArray, type Matrix, type MatrixInput } from '@spyglass-wasm/core';
import { type Backend, checkBackend } from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { type PadType, fillExtendedRows } from './pad.js';
import { type Precision, checkSos } from './sos.js';
import { checkPrecision } from './precision.js';
import { withSosSession } from './sos-session.js';
import { sosfilt_zi, ziForChannels } from './sosfilt-zi.js';

/** Rows per block are chosen so one block (256 KiB) stays in L2. */
const BLOCK_BYTES = 1 << 18;

export interface SosfiltfiltOptions {
  /** Extension at both ends: 'odd' (default), 'even', 'constant', or null for none. */
  padtype?: PadType | null;
  /** Rows of extension; default 3 × (2·nsec + 1 − trailing zero coefficients), as scipy. */
  padlen?: number;
  backend?: Backend;
  /** Arithmetic: 'float64' (default, as scipy) or 'float32' (Float32Array data only; faster). */
  precision?: Precision;
  /**
   * Where to write the result (same dtype and size as x; may be x's own array, in place).
   * Saves allocating a fresh array, which for long recordings costs as much as the filtering.
   */
  out?: FloatArray;
}

/**
 * Zero-phase forward–backward filtering with second-order sections, like
 * `scipy.signal.sosfiltfilt(sos, x, axis=0)`: same padding, same initial conditions, float64
 * arithmetic; returns the input's kind and dtype. Runs in place in Wasm memory: the backward pass
 * walks the rows in reverse instead of copying them.
 *
 * @example
 * const sos = butter(4, [300, 6000], { btype: 'bandpass', fs: 30000 });
 * const filtered = sosfiltfilt(sos, { data: raw, rows: raw.length / 64, cols: 64 });
 */
export function sosfiltfilt<T extends FloatArray>(sos: ArrayLike<number>, x: T, options?: SosfiltfiltOptions): T;
export function sosfiltfilt<T extends FloatArray>(sos: ArrayLike<number>, x: MatrixInput<T>, options?: SosfiltfiltOptions): Matrix<T>;
export function sosfiltfilt<T extends FloatArray>(sos: ArrayLike<number>, x: MatrixInput<T>, options: SosfiltfiltOptions = {}): T | Matrix<T> {
  const nsec = checkSos(sos);
  const { m, wrap } = signalIO(x);
  const backend = checkBackend(options.backend);
  const padtype = options.padtype === null ? null : checkChoice('padtype', options.padtype ?? 'odd', ['odd', 'even', 'constant'] as const);
  let zerosB2 = 0, zerosA2 = 0;
  for (let s = 0; s < nsec; s++) {
    if (sos[s * 6 + 2] === 0) zerosB2++;
    if (sos[s * 6 + 5] === 0) zerosA2++;
  }
  const ntaps = 2 * nsec + 1 - Math.min(zerosB2, zerosA2);
  let edge = 0;
  if (padtype !== null) {
    edge = options.padlen === undefined ? 3 * ntaps : checkNumber('padlen', options.padlen, { min: 0, integer: true });
    if (m.rows <= edge) {
      throw new ParameterError('x', `more than padlen = ${edge} samples along time`, `${m.rows} samples`);
    }
  }
  const { rows, cols } = m;
  const n = rows + 2 * edge;
  const zi = sosfilt_zi(sos);
  const out = (options.out ?? new (m.data.constructor as { new (k: number): T })(rows * cols)) as T;
  if (out.constructor !== m.data.constructor || out.length < rows * cols) {
    throw new ParameterError('out', `a ${m.data.constructor.name} of at least ${rows * cols} values`, options.out);
  }
  // Blocks small enough to stay in cache: each is filled and filtered forward while hot, and on the
  // way back filtered backward and copied out while hot, so the data crosses memory about twice.
  const block = Math.max(16, Math.floor(BLOCK_BYTES / (cols * m.data.BYTES_PER_ELEMENT)));
  return withSosSession(backend, checkPrecision(options.precision), m.data, sos, n, cols, (s) => {
    for (let r0 = 0; r0 < n; r0 += block) {
      const r1 = Math.min(n, r0 + block);
      fillExtendedRows(m.data, rows, cols, edge, padtype, s.data.subarray(r0 * cols, r1 * cols), r0, r1);
      if (r0 === 0) s.setState(ziForChannels(zi, s.data.subarray(0, cols)));
      s.filter(false, r0, r1);
    }
    s.setState(ziForChannels(zi, s.data.subarray((n - 1) * cols, n * cols)));
    for (let r1 = n; r1 > 0; r1 -= block) {
      const r0 = Math.max(0, r1 - block);
      s.filter(true, r0, r1);
      const lo = Math.max(r0, edge), hi = Math.min(r1, edge + rows);
      if (hi > lo) out.set(s.data.subarray(lo * cols, hi * cols), (lo - edge) * cols);
    }
    return wrap(out, rows);
  });
}
