export * from './errors/index.js';
export * from './array/index.js';
export * from './wasm/index.js';
export * from './pool/index.js';
export { checkNumber, checkChoice } from './params/check.js';
export * from './intervals/index.js';
