export {
  detectEvents,
  type DetectedEvent,
  type DetectEventsOptions,
  type EventThresholds,
  type SpeedRule,
} from './detect-events.js';
export {
  kayRippleDetector,
  karlssonRippleDetector,
  multiunitHseDetector,
  type RippleDetectorOptions,
  type MultiunitHseOptions,
} from './ripple-detectors.js';
export { sampleTimes, minimumSampleCount, validBlocks, type Block } from './blocks.js';
export { kayConsensusTrace, nextFastLen, type EnvelopePadding, type EnvelopeOptions } from './consensus.js';
export { thresholdBlocks, mergeRanges, type SampleRange } from './threshold.js';
export { zscore } from './zscore.js';
export { peakFrequency } from './peak-frequency.js';
export { speedFromPosition, interpolateToTimes, type SpeedOptions } from './speed.js';
export { detectRipplesInWindows, type WindowedRippleOptions } from './windowed.js';
