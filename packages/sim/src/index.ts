// The seeded generator lives in core; re-exported so simulations and their seeds read from one place.
export { createRng, type Rng } from '@spyglass-wasm/core';
export { simulatePlaceSession, type PlaceSession, type PlaceSessionOptions, type PlaceUnit } from './place/simulate-place-session.js';
export { simulateRecording, spikeWaveform, type RecordingSpec, type SimulatedRecording, type SimulatedUnit } from './recording/simulate-recording.js';
export { simulateStream, type RecordingStream } from './recording/simulate-stream.js';
