export { makeEnvironment, binIndex, type Environment, type EnvironmentOptions } from './environment.js';
export { kdeAtBins, interpolatePosition } from './kde.js';
