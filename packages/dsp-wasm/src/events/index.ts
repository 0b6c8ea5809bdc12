export { detectEvents, isImmobile, type DetectedEvent, type EventThresholds, type SpeedRule } from './detect-events.js';
export { kayRippleDetector, karlssonRippleDetector, multiunitHseDetector, sampleTimes, type RippleDetectorOptions, type MultiunitHseOptions } from './ripple-detectors.js';
export { gaussianFilter1d, type GaussianFilterOptions } from './gaussian-filter.js';
export { zscore } from './zscore.js';
export { trueSegments, type Segment } from './segments.js';
