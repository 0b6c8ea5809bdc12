// Kernels of @spyglass-wasm/spike-sort. They work on raw pointers into linear memory handed out by
// the JavaScript side (core's WasmHeap) and never allocate: the module is built with the stub runtime.

/** First free byte above static data; WasmHeap allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}

export { projectFeatures } from './project';
export { accumulateCovariance } from './covariance';
export { covarianceTimes, columnsTimes, orthonormalizeRows } from './power';
export { pairSums, projectOnLine } from './pair';
export { correlateUnits } from './correlate';
export { assignNearest } from './kmeans';
export { subtractRows } from './subtract';
export { reassignRows } from './reassign';
