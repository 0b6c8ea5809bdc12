import { ParameterError, type FloatArray } from '@spyglass-wasm/core';
import type { Backend } from '@spyglass-wasm/core';
import { sosfiltReference } from '../reference/sosfilt.js';
import { dspKernels } from '../wasm/kernels.js';
import { type Precision, lanesOf, paddedCols, sosCoefTable, stateToZi, ziToState } from './sos.js';

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
  const session = (
    data: T,
    state: Float64Array | Float32Array,
    filter: (reverse: boolean, n: number) => void,
  ): SosSession<T> => ({
    blockRows,
    data,
    setState: (zi) => ziToState(zi, nsec, cols, stride, state),
    getState: () => stateToZi(state, nsec, cols, stride),
    filter,
  });
  if (backend === 'reference') {
    const data = new (like.constructor as { new (n: number): T })(blockRows * cols);
    const state = new StateArray(nState);
    return fn(
      session(data, state, (reverse, n) =>
        sosfiltReference(sos, data, n, cols, state, stride, reverse, precision === 'float32'),
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
  return heap.scoped(() => {
    const pCoef = heap.put(sosCoefTable(sos, precision));
    const pState = heap.alloc(nState * StateArray.BYTES_PER_ELEMENT);
    const pData = heap.alloc(blockRows * cols * like.BYTES_PER_ELEMENT);
    // No allocation below this line, so these views stay attached.
    const state = precision === 'float32' ? heap.f32(pState, nState) : heap.f64(pState, nState);
    state.fill(0);
    const data = heap.viewLike(like, pData, blockRows * cols);
    return fn(session(data, state, (reverse, n) => run(pCoef, nsec, pData, n, cols, pState, reverse ? 1 : 0)));
  });
}
