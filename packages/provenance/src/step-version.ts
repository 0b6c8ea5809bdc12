import { hashBytes } from './hash.js';
import type { StepVersion } from './records.js';
import type { StepCode } from './step.js';

const cache = new WeakMap<Uint8Array, Promise<string>>();

/**
 * The step's version: package version, BLAKE3 of every .wasm it runs (hashed once per module) and
 * the build-time hashes of the sources of the packages that compute it.
 */
export async function stepVersion(code: StepCode): Promise<StepVersion> {
  const wasm: Record<string, string> = {};
  for (const k of code.kernels) {
    const bytes = k.bytes;
    if (!cache.has(bytes)) cache.set(bytes, hashBytes(bytes));
    wasm[k.name] = await cache.get(bytes)!;
  }
  return {
    package: code.package,
    packageVersion: code.packageVersion,
    wasm,
    ...(code.sources ? { source: { ...code.sources } } : {}),
  };
}
