import canonicalize from 'canonicalize';
import { ParameterError } from '@spyglass-wasm/core';

/**
 * RFC 8785 (JCS) canonical JSON: sorted keys, shortest round-trip numbers, no whitespace, so the
 * same value gives the same bytes on every platform. Typed arrays are refused: arrays of samples
 * are hashed as raw bytes (see `hashArray`), never through JSON.
 *
 * @example
 * canonicalJson({ b: 1, a: [1.5, 'x'] }); // '{"a":[1.5,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  assertJsonable(value, '$');
  const text = canonicalize(value);
  if (text === undefined) throw new ParameterError('value', 'a JSON value', String(value));
  return text;
}

function assertJsonable(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ParameterError(path, 'a finite number (JSON has no NaN/Infinity)', value);
    return;
  }
  if (ArrayBuffer.isView(value))
    throw new ParameterError(path, 'plain JSON (hash typed arrays with hashArray)', value.constructor.name);
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertJsonable(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as object)) if (v !== undefined) assertJsonable(v, `${path}.${k}`);
    return;
  }
  throw new ParameterError(path, 'a JSON value', typeof value);
}
