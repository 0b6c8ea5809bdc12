import {
  ParameterError,
  checkChoice,
  checkNumber,
  type FloatArray,
  type Matrix,
  type MatrixInput,
} from '@spyglass-wasm/core';
import { type Backend, checkBackend } from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import { checkOptionNames } from '@spyglass-wasm/core';
import { type PadType, fillExtendedRows } from './pad.js';
import {
  type Arithmetic,
  type PrecisionOption,
  checkPrecision,
  resolveArithmetic,
  resolvePrecision,
} from './precision.js';
import { checkSos } from './sos.js';
import { type SosSession, withSosSession } from './sos-session.js';
import { sosfiltZi, ziForChannels } from './sosfilt-zi.js';
import { filtfiltKeepEvery, warmUpRows } from './filtfilt-keep-every.js';

export interface SosfiltfiltOptions {
  /** Extension at both ends: 'odd' (default), 'even', 'constant', or null for none. */
  padtype?: PadType | null;
  /** Rows of extension; default 3 × (2·nsec + 1 − trailing zero coefficients), as scipy. */
  padlen?: number;
  backend?: Backend;
  /**
   * Arithmetic: 'auto' (default) takes float32 for Float32Array data when the design is well
   * conditioned and trials on rows from the middle and from the start of the data (the start-up
   * transient) stay within 6e-5 of the output's RMS (butter(4, [300, 6000]) at 30 kHz on spike-band
   * data: yes; with an offset 100× the noise settling in the first 10 ms: no; butter(4, 1) at 30 kHz: never),
   * else float64 as scipy. 'float64' / 'float32' (Float32Array data only) force one.
   */
  precision?: PrecisionOption;
  /**
   * Where to write the result (same dtype and size as x; may be x's own array, in place).
   * Saves allocating a fresh array, which for long recordings costs as much as the filtering.
   */
  out?: FloatArray;
}

const SOSFILTFILT_OPTIONS = ['padtype', 'padlen', 'backend', 'precision', 'out'] as const;

/**
 * Zero-phase forward–backward filtering with second-order sections, like
 * `scipy.signal.sosfiltfilt(sos, x, axis=0)`: same padding, same initial conditions; returns the
 * input's kind and dtype. Float32Array data are filtered in float32 arithmetic when that is
 * accurate enough (see `precision`), float64 otherwise. The signal streams through a cache-sized
 * block of Wasm memory: the forward pass writes straight into the output, the backward pass
 * filters it there in place, last row first.
 *
 * @example
 * const sos = butter(4, [300, 6000], { btype: 'bandpass', fs: 30000 });
 * const filtered = sosfiltfilt(sos, { data: raw, rows: raw.length / 64, cols: 64 });
 */
export function sosfiltfilt<T extends FloatArray>(sos: ArrayLike<number>, x: T, options?: SosfiltfiltOptions): T;
export function sosfiltfilt<T extends FloatArray>(
  sos: ArrayLike<number>,
  x: MatrixInput<T>,
  options?: SosfiltfiltOptions,
): Matrix<T>;
export function sosfiltfilt<T extends FloatArray>(
  sos: ArrayLike<number>,
  x: MatrixInput<T>,
  options: SosfiltfiltOptions = {},
): T | Matrix<T> {
  checkOptionNames('sosfiltfilt', options, SOSFILTFILT_OPTIONS);
  const { m, wrap } = signalIO(x);
  return wrap(sosfiltfiltEvery(sos, m, options, 1), m.rows);
}

/**
 * sosfiltfilt keeping only rows 0, q, 2q, … of the output (decimate's zero-phase IIR path): the
 * backward pass copies just those rows out of its block, and the signal goes in segments
 * (filtfiltKeepEvery), so neither the full-rate forward output nor the result is ever held
 * whole. q = 1 is sosfiltfilt itself. `options.out`, if given, holds the kept rows.
 */
export function sosfiltfiltEvery<T extends FloatArray>(
  sos: ArrayLike<number>,
  m: Matrix<T>,
  options: SosfiltfiltOptions,
  q: number,
): T {
  const nsec = checkSos(sos);
  const backend = checkBackend(options.backend);
  const padtype =
    options.padtype === null
      ? null
      : checkChoice('padtype', options.padtype ?? 'odd', ['odd', 'even', 'constant'] as const);
  const edge =
    padtype === null
      ? 0
      : options.padlen === undefined
        ? 3 * defaultTaps(sos, nsec)
        : checkNumber('padlen', options.padlen, { min: 0, integer: true });
  if (m.rows <= edge)
    throw new ParameterError('x', `more than padlen = ${edge} samples along time`, `${m.rows} samples`);
  const { rows, cols } = m;
  const Out = m.data.constructor as { new (k: number): T };
  const kept = Math.ceil(rows / q);
  const out = (options.out ?? new Out(kept * cols)) as T;
  if (out.constructor !== m.data.constructor || out.length < kept * cols) {
    throw new ParameterError('out', `a ${m.data.constructor.name} of at least ${kept * cols} values`, options.out);
  }
  const zi = sosfiltZi(sos);
  // 'mixed' (decimate only): the forward pass in float32, the backward one in float64 with the
  // zeros apart (filtfiltKeepEvery), also for the trial's every row
  const run = (src: Matrix<T>, dst: T, arithmetic: Arithmetic, every: number): T =>
    withSosSession(
      backend,
      arithmetic === 'float64' ? 'float64' : 'float32',
      src.data,
      sos,
      src.rows + 2 * edge,
      cols,
      (s) =>
        every === 1 && arithmetic !== 'mixed'
          ? filtfilt(s, src, edge, padtype, zi, dst)
          : filtfiltKeepEvery(s, src, edge, padtype, zi, dst, {
              q: every,
              warm: warmUpRows(sos),
              polesApart: arithmetic !== 'float32',
            }),
    );
  const trial = (p: Arithmetic, start: number, trialRows: number) => {
    const slice = { data: m.data.subarray(start * cols, (start + trialRows) * cols) as T, rows: trialRows, cols };
    return trialRows > 4 * edge ? run(slice, new Out(trialRows * cols), p, 1) : null;
  };
  const option = checkPrecision(options.precision);
  const arithmetic = q > 1 ? resolveArithmetic(option, sos, m, trial) : resolvePrecision(option, sos, m, trial);
  return run(m, out, arithmetic, q);
}

/** scipy's default padlen is 3 × this: 2·nsec + 1, less the trailing zeros every section shares. */
function defaultTaps(sos: ArrayLike<number>, nsec: number): number {
  let zerosB2 = 0,
    zerosA2 = 0;
  for (let s = 0; s < nsec; s++) {
    if (sos[s * 6 + 2] === 0) zerosB2++;
    if (sos[s * 6 + 5] === 0) zerosA2++;
  }
  return 2 * nsec + 1 - Math.min(zerosB2, zerosA2);
}

/**
 * The forward–backward pass over x extended by `edge` rows each side, a block at a time. Forward:
 * the left extension only sets the state; x's rows go through the block into `out`; the right
 * extension's forward output is kept in `tail`. Backward: from the end of `tail`, then `out`'s
 * rows last block first, each read back into the block, filtered and written over itself. `out`
 * may be x's own array: everything read from x is read before that row of `out` is written.
 */
function filtfilt<T extends FloatArray>(
  s: SosSession<T>,
  m: Matrix<T>,
  edge: number,
  padtype: PadType | null,
  zi: Float64Array,
  out: T,
): T {
  const { rows, cols } = m;
  const n = rows + 2 * edge;
  const tail = new (m.data.constructor as { new (k: number): T })(edge * cols);
  fillExtendedRows(m.data, rows, cols, edge, padtype, tail, edge + rows, n);

  // Forward. Row 0 of the extended signal sets the steady-state initial conditions.
  const forward = (r0: number, r1: number, keep: boolean) => {
    for (let a = r0; a < r1; a += s.blockRows) {
      const b = Math.min(a + s.blockRows, r1);
      fillExtendedRows(m.data, rows, cols, edge, padtype, s.data, a, b);
      if (a === 0) s.setState(ziForChannels(zi, s.data.subarray(0, cols)));
      s.filter(false, b - a);
      if (keep) out.set(s.data.subarray(0, (b - a) * cols), (a - edge) * cols);
    }
  };
  forward(0, edge, false);
  forward(edge, edge + rows, true);
  throughBlock(s, tail, cols, edge, false);

  // Backward, from the forward output's last row.
  const last = edge > 0 ? tail.subarray((edge - 1) * cols, edge * cols) : out.subarray((rows - 1) * cols, rows * cols);
  s.setState(ziForChannels(zi, last));
  throughBlock(s, tail, cols, edge, true);
  throughBlock(s, out, cols, rows, true);
  return out;
}

/** Filters the first `rows` rows of `buf` in place through the session's block, in order or last block first. */
function throughBlock<T extends FloatArray>(
  s: SosSession<T>,
  buf: T,
  cols: number,
  rows: number,
  reverse: boolean,
): void {
  for (let k = 0; k < rows; k += s.blockRows) {
    const n = Math.min(s.blockRows, rows - k);
    const a = reverse ? rows - k - n : k;
    const part = buf.subarray(a * cols, (a + n) * cols);
    s.data.set(part);
    s.filter(reverse, n);
    part.set(s.data.subarray(0, n * cols));
  }
}
