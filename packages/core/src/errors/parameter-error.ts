import { errorName, SpyglassError } from './spyglass-error.js';

/** A parameter is missing, out of range or of the wrong type. */
export class ParameterError extends SpyglassError {
  constructor(parameter: string, expected: string, received?: unknown) {
    super('E_PARAMETER', `parameter '${parameter}': expected ${expected}, got ${describe(received)}`, {
      parameter,
      expected,
      received,
    });
  }
}
errorName(ParameterError, 'ParameterError');

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(value)) return `array of length ${value.length}`;
  return Object.prototype.toString.call(value);
}
