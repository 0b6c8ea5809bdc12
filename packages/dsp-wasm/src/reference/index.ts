/**
 * Plain TypeScript references of the Wasm kernels' math, for checking and reading (stdlib-js keeps
 * such variants in separate entries): `import { sosfiltReference } from '@spyglass-wasm/dsp-wasm/reference'`.
 * The main entry runs the kernels; its functions take `{ backend: 'reference' }` to run these.
 */
export { sosfiltReference } from './sosfilt.js';
export { firReference } from './fir.js';
export { dftReference } from './dft.js';
export { radix2Reference } from './fft.js';
