// Kernels of @spyglass-wasm/decoding. They work on raw pointers into linear memory handed out by
// the JavaScript side (core's WasmHeap) and never allocate: the module is built with the stub runtime.

/** First free byte above static data; WasmHeap allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}

export { expNegKernel, expNeg2Kernel } from './expneg';
export { sortedLogLikelihood } from './sorted';
export { markMinDistance, markAccumulate, positionKernel } from './clusterless';
export { forwardFilter, backwardSmoother, setGridWalk } from './filter';
