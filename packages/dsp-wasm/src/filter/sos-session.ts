import { ParameterError, type FloatArray } from '@spyglass-wasm/core';
import type { Backend } from '@spyglass-wasm/core';
import { sosfiltReference } from '../reference/sosfilt.js';
import { sosPolesKeepReference } from '../reference/sos-poles.js';
import { dspKernels } from '../wasm/kernels.js';
import {
  type Precision,
  lanesOf,
  paddedCols,
  sosCoefTable,
  sosPolesKernelTable,
  sosPolesSteadyState,
  sosPolesTable,
  stateToZi,
  ziToState,
} from './sos.js';

/** Scratch rows are chosen so one block (256 KiB) stays in L2 while it is filled, filtered and copied out. */
const BLOCK_BYTES = 1 << 18;

/**
 * A cache-sized block of rows being filtered in place by SOS passes, with the filter state carried
 * from one block to the next. Lives in Wasm memory on the wasm backend: a long recording streams
 * through it a block at a time, so Wasm memory stays small whatever the recording's length.
 */
export interface SosSession<T extends FloatArray> {
  /** Rows the block holds. */
  readonly blockRows: number;
  /** blockRows × cols samples: fill rows [0, n), filter(…, n), read them back. */
  readonly data: T;
  /** Sets the state from zi (nsec × cols × 2). */
  setState(zi: ArrayLike<number>): void;
  /** The state as zf (nsec × cols × 2). */
  getState(): Float64Array;
  /** Filters the first `rows` rows of the block forward (or last row first), continuing from the state. */
  filter(reverse: boolean, rows: number): void;
  /**
   * decimate's backward pass with the poles and zeros apart (assembly/sos-poles.ts), always in
   * float64 arithmetic (also in a float32 session: 'mixed'), with its own state, so the forward
   * state above is kept.
   */
  readonly polesKeeping: PolesKeeping;
}

/** A backward pass that computes the cascade's zeros only on the rows kept. */
interface PolesKeeping {
  /** Sets the state to the steady state of a constant input `row` (cols values), as scipy's zi × value. */
  setSteady(row: ArrayLike<number>): void;
  /**
   * Filters the block's first `rows` rows last row first; block rows j with (j + phase) % q == 0
   * receive the output, the others are left as garbage.
   */
  filter(rows: number, phase: number, q: number): void;
}

/** Rows per block for this width and dtype (at least 16, at most `rows`). */
function blockRowsFor(rows: number, cols: number, bytes: number): number {
  return Math.max(1, Math.min(rows, Math.max(16, Math.floor(BLOCK_BYTES / (cols * bytes)))));
}

/**
 * Runs `fn` with a session of one block of `like`'s dtype, for a signal of `rows` × `cols`. One
 * code path for the Wasm kernels and the TypeScript reference: only where the block lives and
 * which loop runs differ. On the wasm backend the block is scratch memory released when `fn`
 * returns.
 */
export function withSosSession<T extends FloatArray, R>(
  backend: Backend,
  precision: Precision,
  like: T,
  sos: ArrayLike<number>,
  rows: number,
  cols: number,
  fn: (s: SosSession<T>) => R,
): R {
  if (precision === 'float32' && !(like instanceof Float32Array)) {
    throw new ParameterError(
      'precision',
      "'float64' or 'auto' for Float64Array data ('float32' needs Float32Array data)",
      precision,
    );
  }
  const nsec = sos.length / 6;
  const stride = paddedCols(cols, lanesOf(precision));
  const nState = nsec * 2 * stride;
  const StateArray = precision === 'float32' ? Float32Array : Float64Array;
  const blockRows = blockRowsFor(rows, cols, like.BYTES_PER_ELEMENT);
  const table = sosPolesTable(sos);
  // the poles' state is float64, two lanes a v128, whatever the session's precision
  const polesStride = paddedCols(cols, 2);
  const nPoleState = (2 * nsec + table.taps.length) * polesStride;
  const session = (
    data: T,
    state: Float64Array | Float32Array,
    filter: (reverse: boolean, n: number) => void,
    poles: { state: Float64Array; filter: (rows: number, done: number, phase: number, q: number) => void },
  ): SosSession<T> => {
    let done = 0; // rows since the poles' state was set: the kernel's slot and ring position
    return {
      blockRows,
      data,
      setState: (zi) => ziToState(zi, nsec, cols, stride, state),
      getState: () => stateToZi(state, nsec, cols, stride),
      filter,
      polesKeeping: {
        setSteady: (row) => {
          sosPolesSteadyState(table, row, polesStride, poles.state);
          done = 0;
        },
        filter: (rows, phase, q) => {
          poles.filter(rows, done, phase, q);
          done += rows;
        },
      },
    };
  };
  if (backend === 'reference') {
    const data = new (like.constructor as { new (n: number): T })(blockRows * cols);
    const state = new StateArray(nState);
    const poleState = new Float64Array(nPoleState);
    return fn(
      session(
        data,
        state,
        (reverse, n) => sosfiltReference(sos, data, n, cols, state, stride, reverse, precision === 'float32'),
        {
          state: poleState,
          filter: (n, done, phase, q) =>
            sosPolesKeepReference(table, data, n, cols, poleState, polesStride, done, { phase, q }),
        },
      ),
    );
  }
  const { exports, heap } = dspKernels.get();
  const run =
    precision === 'float32'
      ? exports.sosfiltF32Single
      : like instanceof Float32Array
        ? exports.sosfiltF32
        : exports.sosfiltF64;
  const keep = like instanceof Float32Array ? exports.sosPolesKeepF32 : exports.sosPolesKeepF64;
  return heap.scoped(() => {
    const pCoef = heap.put(sosCoefTable(sos, precision));
    const pPoleCoef = heap.put(sosPolesKernelTable(table));
    const pState = heap.alloc(nState * StateArray.BYTES_PER_ELEMENT);
    const pPoleState = heap.alloc(nPoleState * 8);
    const pData = heap.alloc(blockRows * cols * like.BYTES_PER_ELEMENT);
    // No allocation below this line, so these views stay attached.
    const state = precision === 'float32' ? heap.f32(pState, nState) : heap.f64(pState, nState);
    state.fill(0);
    const poleState = heap.f64(pPoleState, nPoleState);
    poleState.fill(0);
    const data = heap.viewLike(like, pData, blockRows * cols);
    return fn(
      session(data, state, (reverse, n) => run(pCoef, nsec, pData, n, cols, pState, reverse ? 1 : 0), {
        state: poleState,
        filter: (n, done, phase, q) => keep(pPoleCoef, nsec, pData, n, cols, pPoleState, done, phase, q),
      }),
    );
  });
}
