import type { FloatArray } from '@spyglass-wasm/core';
import type { Backend } from '../lib/backend.js';
import { sosfiltReference } from '../reference/sosfilt.js';
import { dspKernels } from '../wasm/kernels.js';
import { paddedCols, sosCoefTable, stateToZi, ziToState } from './sos.js';

/** A buffer being filtered in place by SOS passes; lives in Wasm memory on the wasm backend. */
export interface SosSession<T extends FloatArray> {
  /** rows × cols samples, filled by the caller before filtering. */
  readonly data: T;
  /** Sets the state from zi (nsec × cols × 2). */
  setState(zi: ArrayLike<number>): void;
  /** The state as zf (nsec × cols × 2). */
  getState(): Float64Array;
  /** One pass over all rows, forward or backward. */
  filter(reverse: boolean): void;
}

/**
 * Runs `fn` with a session of rows × cols samples of `like`'s dtype. One code path for the Wasm
 * kernel and the TypeScript reference: only where the buffers live and which loop runs differ.
 * On the wasm backend the buffers are scratch memory released when `fn` returns, so `fn` must
 * copy out what it keeps.
 */
export function withSosSession<T extends FloatArray, R>(
  backend: Backend,
  like: T,
  sos: ArrayLike<number>,
  rows: number,
  cols: number,
  fn: (s: SosSession<T>) => R,
): R {
  const nsec = sos.length / 6;
  const coef = sosCoefTable(sos);
  const nState = nsec * 2 * paddedCols(cols);
  if (backend === 'reference') {
    const data = new (like.constructor as { new (n: number): T })(rows * cols);
    const state = new Float64Array(nState);
    return fn({
      data,
      setState: (zi) => ziToState(zi, nsec, cols, state),
      getState: () => stateToZi(state, nsec, cols),
      filter: (reverse) => sosfiltReference(coef, nsec, data, rows, cols, state, reverse),
    });
  }
  const { exports, heap } = dspKernels.get();
  const run = like instanceof Float32Array ? exports.sosfiltF32 : exports.sosfiltF64;
  return heap.scoped(() => {
    const pCoef = heap.put(coef);
    const pState = heap.alloc(nState * 8);
    const pData = heap.alloc(rows * cols * like.BYTES_PER_ELEMENT);
    // No allocation below this line, so these views stay attached.
    const state = heap.f64(pState, nState);
    state.fill(0);
    return fn({
      data: heap.viewLike(like, pData, rows * cols),
      setState: (zi) => ziToState(zi, nsec, cols, state),
      getState: () => stateToZi(state, nsec, cols),
      filter: (reverse) => run(pCoef, nsec, pData, rows, cols, pState, reverse ? 1 : 0),
    });
  });
}
