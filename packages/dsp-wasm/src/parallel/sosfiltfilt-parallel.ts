import {
  Comlink,
  allocLike,
  putColumns,
  splitRange,
  takeColumns,
  type FloatArray,
  type Matrix,
  type MatrixInput,
  type WorkerPool,
} from '@spyglass-wasm/core';
import { signalIO } from '../lib/signal-io.js';
import type { SosfiltfiltOptions } from '../filter/sosfiltfilt.js';
import type { FilterWorkerApi } from '../workers/filter-worker.js';

/**
 * sosfiltfilt split across a worker pool by blocks of channels (each channel is filtered
 * independently, so the result equals the single-thread one exactly).
 */
export async function sosfiltfiltParallel<T extends FloatArray>(
  sos: ArrayLike<number>,
  x: MatrixInput<T>,
  options: Omit<SosfiltfiltOptions, 'backend'> & { pool: WorkerPool<FilterWorkerApi>; blocks?: number },
): Promise<Matrix<T>> {
  const { m } = signalIO(x);
  const { pool, blocks = pool.size, ...filterOptions } = options;
  const out = allocLike(m.data, m.rows, m.cols);
  const coef = Float64Array.from(sos);
  await pool.map(splitRange(m.cols, blocks), async (api, r) => {
    const block = takeColumns(m, r.start, r.end);
    const y = await api.sosfiltfilt(coef, Comlink.transfer(block, [block.data.buffer]), filterOptions);
    putColumns(out, y, r.start);
  });
  return out;
}
