// Kernels of @spyglass-wasm/dsp-wasm. They work on raw pointers into linear memory handed out by
// the JavaScript side (core's WasmHeap) and never allocate: the module is built with the stub runtime.

/** First free byte above static data; WasmHeap allocates from here. */
export function heapBase(): usize {
  return __heap_base;
}

export { sosfiltF64, sosfiltF32, sosfiltF32Single } from './sosfilt';
export { sosPolesKeepF64, sosPolesKeepF32 } from './sos-poles';
export { fft } from './fft';
export { firPolyphase } from './fir';
export { firPolyphase32 } from './fir32';
export { welchAccumulate } from './welch';
export { whitenRowsF32, covarianceRowsF32 } from './whiten';
