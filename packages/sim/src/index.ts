// The seeded generator lives in core; re-exported so simulations and their seeds read from one place.
export { createRng, type Rng } from '@spyglass-wasm/core';
export {
  simulatePlaceSession,
  type PlaceSession,
  type PlaceSessionOptions,
  type PlaceUnit,
} from './place/simulate-place-session.js';
export {
  simulateRecording,
  spikeWaveform,
  type RecordingRegimes,
  type RecordingSpec,
  type SimulatedRecording,
  type SimulatedUnit,
  type WaveformShape,
} from './recording/simulate-recording.js';
export { shapedWaveform, sortingRegime, SORTING_REGIMES, type SortingRegime } from './recording/regimes.js';
export { simulateStream, type RecordingStream } from './recording/simulate-stream.js';
export {
  trackLeds,
  type FrameRun,
  type LedTracking,
  type LedTrackingOptions,
  type Trajectory,
} from './position/track-leds.js';
export {
  simulateRestRunSession,
  type BehaviorPeriod,
  type CleanPosition,
  type RestRunSession,
  type RestRunSessionOptions,
  type RippleOptions,
  type SessionEpoch,
} from './session/rest-run-session.js';
export {
  simulateReplayDay,
  type DayEpochSpec,
  type Replay,
  type ReplayDay,
  type ReplayDayOptions,
  type ReplayRipple,
  type ReplayUnit,
} from './session/replay-day.js';
export {
  renderTetrodes,
  rippleEnvelope,
  streamTetrodes,
  tetrodeGroups,
  type ElectrodeGroupInfo,
  type RawRecording,
  type RawRecordingStream,
  type RippleEvent,
  type TetrodeRenderSpec,
  type TetrodeUnit,
} from './session/render-tetrodes.js';
export { writeSessionNwb, type WritableSession, type WriteSessionOptions } from './nwb/write-session-nwb.js';
