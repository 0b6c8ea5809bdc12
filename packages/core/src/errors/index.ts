export { SpyglassError, type ErrorContext } from './spyglass-error.js';
export { ParameterError } from './parameter-error.js';
export { NwbFormatError } from './nwb-format-error.js';
export { StoreError } from './store-error.js';
export { WorkerError } from './worker-error.js';
