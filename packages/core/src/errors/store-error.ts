import { errorName, SpyglassError } from './spyglass-error.js';

/** A provenance store could not be opened, migrated, read or written. */
export class StoreError extends SpyglassError {
  constructor(message: string, cause?: unknown) {
    super('E_STORE', message, { cause });
  }
}
errorName(StoreError, 'StoreError');
