export { createRng, type Rng } from './random/rng.js';
export { simulatePlaceSession, type PlaceSession, type PlaceSessionOptions, type PlaceUnit } from './place/simulate-place-session.js';
export { simulateRecording, spikeWaveform, type RecordingSpec, type SimulatedRecording, type SimulatedUnit } from './recording/simulate-recording.js';
export { simulateStream, type RecordingStream } from './recording/simulate-stream.js';
