import { ParameterError, type FloatArray } from '@spyglass-wasm/core';
import type { Backend } from '@spyglass-wasm/core';
import { sosfiltReference } from '../reference/sosfilt.js';
import { dspKernels } from '../wasm/kernels.js';
import { type Precision, lanesOf, paddedCols, sosCoefTable, stateToZi, ziToState } from './sos.js';

/** A buffer being filtered in place by SOS passes; lives in Wasm memory on the wasm backend. */
export interface SosSession<T extends FloatArray> {
  /** rows × cols samples, filled by the caller before filtering. */
  readonly data: T;
  /** Sets the state from zi (nsec × cols × 2). */
  setState(zi: ArrayLike<number>): void;
  /** The state as zf (nsec × cols × 2). */
  getState(): Float64Array;
  /** One pass over all rows (or rows [r0, r1)), forward or backward, continuing from the state. */
  filter(reverse: boolean, r0?: number, r1?: number): void;
}

/**
 * Runs `fn` with a session of rows × cols samples of `like`'s dtype. One code path for the Wasm
 * kernels and the TypeScript reference: only where the buffers live and which loop runs differ.
 * On the wasm backend the buffers are scratch memory released when `fn` returns, so `fn` must
 * copy out what it keeps.
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
    throw new ParameterError('precision', "'float64' for Float64Array data ('float32' needs Float32Array data)", precision);
  }
  const nsec = sos.length / 6;
  const stride = paddedCols(cols, lanesOf(precision));
  const nState = nsec * 2 * stride;
  const StateArray = precision === 'float32' ? Float32Array : Float64Array;
  const session = (data: T, state: Float64Array | Float32Array, filter: (reverse: boolean, r0?: number, r1?: number) => void): SosSession<T> => ({
    data,
    setState: (zi) => ziToState(zi, nsec, cols, stride, state),
    getState: () => stateToZi(state, nsec, cols, stride),
    filter,
  });
  if (backend === 'reference') {
    const data = new (like.constructor as { new (n: number): T })(rows * cols);
    const state = new StateArray(nState);
    return fn(
      session(data, state, (reverse, r0 = 0, r1 = rows) =>
        sosfiltReference(sos, data.subarray(r0 * cols, r1 * cols), r1 - r0, cols, state, stride, reverse, precision === 'float32'),
      ),
    );
  }
  const { exports, heap } = dspKernels.get();
  const run =
    precision === 'float32' ? exports.sosfiltF32Single : like instanceof Float32Array ? exports.sosfiltF32 : exports.sosfiltF64;
  return heap.scoped(() => {
    const pCoef = heap.put(sosCoefTable(sos, precision));
    const pState = heap.alloc(nState * StateArray.BYTES_PER_ELEMENT);
    const pData = heap.alloc(rows * cols * like.BYTES_PER_ELEMENT);
    // No allocation below this line, so these views stay attached.
    const state = precision === 'float32' ? heap.f32(pState, nState) : heap.f64(pState, nState);
    state.fill(0);
    const data = heap.viewLike(like, pData, rows * cols);
    const bytes = like.BYTES_PER_ELEMENT;
    return fn(session(data, state, (reverse, r0 = 0, r1 = rows) => run(pCoef, nsec, pData + r0 * cols * bytes, r1 - r0, cols, pState, reverse ? 1 : 0)));
  });
}
