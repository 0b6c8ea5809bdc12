import { errorName, SpyglassError } from './spyglass-error.js';

/** A worker script could not be loaded (404, syntax error, throw at start) or died during a call. */
export class WorkerError extends SpyglassError {
  constructor(message: string, context: { file?: string; cause?: unknown } = {}) {
    super('E_WORKER', message, context);
  }
}
errorName(WorkerError, 'WorkerError');
