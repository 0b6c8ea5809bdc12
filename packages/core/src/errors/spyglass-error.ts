/** Where a problem was found: the file, the HDF5 path inside it, or the parameter name. */
export interface ErrorContext {
  file?: string;
  path?: string;
  parameter?: string;
  expected?: string;
  received?: unknown;
  cause?: unknown;
}

/**
 * Base class of every error the packages throw on purpose. `code` is stable and
 * machine-readable; the message names the file / HDF5 path / parameter and what was expected.
 * `name` is the class's name, written out (see {@link errorName}), so it survives minifiers.
 *
 * @example
 * const err = new ParameterError('window', 'a positive number', -1);
 * err instanceof SpyglassError; // true
 * `${err.name} ${err.code}: ${err.message}`; // "ParameterError E_PARAMETER: parameter 'window': expected …, got -1"
 */
export class SpyglassError extends Error {
  readonly code: string;
  readonly file?: string;
  readonly path?: string;
  readonly parameter?: string;
  readonly expected?: string;
  readonly received?: unknown;

  constructor(code: string, message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    // a subclass without errorName (another package's) is still called by its own name
    if (!Object.hasOwn(new.target.prototype, 'name')) this.name = new.target.name;
    this.code = code;
    this.file = context.file;
    this.path = context.path;
    this.parameter = context.parameter;
    this.expected = context.expected;
    this.received = context.received;
  }
}

/**
 * Sets the `name` every instance of an error class reports (on its prototype, before any instance
 * exists, so stack traces show it too). Written out rather than read from the class because
 * minifiers rename classes: a bundled ParameterError would otherwise print as "C".
 */
export function errorName<T extends abstract new (...args: never[]) => Error>(errorClass: T, name: string): T {
  Object.defineProperty(errorClass.prototype, 'name', { value: name, writable: true, configurable: true });
  return errorClass;
}

errorName(SpyglassError, 'SpyglassError');
