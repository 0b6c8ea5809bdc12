export { KernelLoader, type CoreExports, type Kernels } from './kernel-loader.js';
export { WasmHeap } from './wasm-heap.js';
export { decodeBase64, encodeBase64 } from './base64.js';
