export {
  processPosition,
  cmPerUnit,
  type RawPosition,
  type PositionOptions,
  type PositionUnit,
  type PositionUnitOptions,
  type ProcessedPosition,
} from './process-position.js';
export { positionFromSeries, type PositionSeries } from './from-series.js';
export { netSpeed, type NetSpeedOptions } from './net-speed.js';
export { gaussianSmooth, movingAverage, interpolateGaps, unwrap, wrapAngle } from './smooth.js';
