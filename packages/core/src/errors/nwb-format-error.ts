import { errorName, SpyglassError } from './spyglass-error.js';

/** A file is not readable NWB: truncated, not HDF5, not NWB, or a field is missing / of the wrong type. */
export class NwbFormatError extends SpyglassError {
  constructor(file: string, path: string, expected: string, cause?: unknown) {
    super('E_NWB_FORMAT', `${file}: ${path}: expected ${expected}`, { file, path, expected, cause });
  }
}
errorName(NwbFormatError, 'NwbFormatError');
