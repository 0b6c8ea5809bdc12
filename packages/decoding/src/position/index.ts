export { processPosition, type RawPosition, type PositionOptions, type ProcessedPosition } from './process-position.js';
export { gaussianSmooth, movingAverage, interpolateGaps, unwrap, wrapAngle } from './smooth.js';
