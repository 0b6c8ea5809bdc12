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
    this.name = new.target.name;
    this.code = code;
    this.file = context.file;
    this.path = context.path;
    this.parameter = context.parameter;
    this.expected = context.expected;
    this.received = context.received;
  }
}
