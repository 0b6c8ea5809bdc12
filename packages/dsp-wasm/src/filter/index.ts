export { butter, type BandType, type ButterOptions } from './butter.js';
export { sosfilt, sosfiltWithState, type SosfiltOptions } from './sosfilt.js';
export { sosfilt_zi, ziForChannels } from './sosfilt-zi.js';
export { sosfiltfilt, type SosfiltfiltOptions } from './sosfiltfilt.js';
export { SosFilter } from './sos-filter.js';
export type { PadType } from './pad.js';
export type { Precision } from './sos.js';
