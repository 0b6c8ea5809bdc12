export { makeEnvironment, binIndex, type Environment, type EnvironmentOptions } from './environment.js';
export { linearize, type TrackGraph, type LinearizeOptions, type Linearized } from './track-graph.js';
export { kdeAtBins, interpolatePosition } from './kde.js';
