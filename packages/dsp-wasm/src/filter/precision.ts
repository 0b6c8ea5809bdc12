import { checkChoice } from '@spyglass-wasm/core';
import type { Precision } from './sos.js';

export function checkPrecision(value: unknown): Precision {
  return checkChoice('precision', value ?? 'float64', ['float64', 'float32'] as const);
}
