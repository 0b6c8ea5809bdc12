export * from './errors/index.js';
export * from './array/index.js';
export * from './wasm/index.js';
export * from './pool/index.js';
export { checkNumber, checkChoice } from './params/check.js';
export * from './intervals/index.js';
/** SHA-256 of this package's sources at build time (provenance step versions carry it). */
export { CODE_HASH as codeHash } from './code-hash.generated.js';
