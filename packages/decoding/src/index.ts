export * from './environment/index.js';
export {
  fitSortedSpikes,
  type SortedSpikesModel,
  type EncodingInput,
  type LengthUnit,
} from './encoding/sorted-model.js';
export {
  fitClusterless,
  type ClusterlessModel,
  type ClusterlessGroupModel,
  type MarkedSpikes,
} from './encoding/clusterless-model.js';
export { makeTimeBins, binCenters, spikeBins, type TimeBins } from './likelihood/time-bins.js';
export {
  sortedSpikesLikelihood,
  sortedSpikesLikelihoodRows,
  type LikelihoodOptions,
  type LikelihoodRows,
} from './likelihood/sorted.js';
export { clusterlessLikelihood, clusterlessLikelihoodRows, type ClusterlessOptions } from './likelihood/clusterless.js';
export {
  buildTransition,
  stateSpacePreset,
  transitionFromDense,
  denseTransition,
  type Transition,
  type GridWalk,
  type StateSpaceOptions,
  type ContinuousTransition,
} from './state-space/transition.js';
export { estimateMovementVar } from './state-space/movement-var.js';
export {
  filterSmooth,
  filterSmoothChunks,
  filterSmoothInOrder,
  type SmoothedInOrder,
  type FilterOptions,
  type FilterResult,
  type SmoothedChunkOptions,
} from './state-space/filter.js';
export { summarizePosterior, type PosteriorSummary } from './results/summarize.js';
export {
  decodingError,
  DecodingErrorStats,
  joinDecodingErrors,
  type DecodingError,
  type DecodingErrorOptions,
  type DecodingErrorSummary,
} from './results/decoding-error.js';
export {
  decodeSortedSpikes,
  decodeClusterless,
  runStateSpace,
  type DecodeOptions,
  type DecodingResult,
  type DecodingSummary,
  type DecodingChunk,
  type DecodingChunks,
} from './decoder.js';
export { decodingKernels, type DecodingExports } from './wasm/kernels.js';
export * from './position/index.js';
/** SHA-256 of this package's sources at build time (provenance step versions carry it). */
export { CODE_HASH as codeHash } from './code-hash.generated.js';
export { replayScore, type ReplayScore, type ReplayScoreOptions } from './replay/replay-score.js';
