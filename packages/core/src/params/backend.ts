import { checkChoice } from './check.js';

/** Where a kernel runs: the WebAssembly build (default) or the plain TypeScript reference. */
export type Backend = 'wasm' | 'reference';

export function checkBackend(value: unknown): Backend {
  return checkChoice('backend', value ?? 'wasm', ['wasm', 'reference'] as const);
}
