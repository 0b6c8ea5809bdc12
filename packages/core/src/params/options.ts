import { ParameterError } from '../errors/parameter-error.js';

/**
 * Throws ParameterError naming the first option that `fn` does not know. A misspelt or foreign
 * option (e.g. `{ channels: 64 }` on a bare Float32Array) would otherwise be ignored silently and
 * the call would do something else than the caller meant.
 */
export function checkOptionNames(fn: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object') throw new ParameterError('options', `an options object for ${fn}`, options);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ParameterError(
        key,
        `no such option of ${fn} (known: ${known.join(', ')})`,
        (options as Record<string, unknown>)[key],
      );
    }
  }
}
