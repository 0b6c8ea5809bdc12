export { frontEnd, noiseLevels, sortingBandpass, blankArtifacts, type FrontEndOptions } from './front-end/front-end.js';
export { detectPeaks, neighboursWithin, type Peak, type DetectOptions } from './detect/detect-peaks.js';
export { extractSnippets, type SnippetOptions } from './features/snippets.js';
export { sampleNoiseClips, type NoiseClipOptions } from './features/noise-clips.js';
export { fitPca, projectPca, covariance, type Pca, type PcaOptions } from './features/pca.js';
export { spikeSortKernels, type SpikeSortExports } from './wasm/kernels.js';
export { kmeans, type KmeansOptions } from './cluster/kmeans.js';
export { isUnimodal } from './cluster/unimodality.js';
export { isocutScore, isocutUnimodal } from './cluster/isocut.js';
export { isosplit, type IsosplitOptions } from './cluster/isosplit.js';
export { splitBranches, type BranchSplitOptions } from './cluster/branch-split.js';
export { mergeShiftedTemplates } from './sort/merge-templates.js';
export { dropEchoes } from './sort/drop-echoes.js';
export { findCollisions, type Collision, type CollisionOptions } from './sort/collisions.js';
export { splitByAmplitude, secondModeCut } from './sort/split-amplitudes.js';
export { learnTemplates, type LearnOptions, type LearnedTemplates } from './sort/learn-templates.js';
export { matchTemplates, type TemplateSet, type MatchOptions, type Matches } from './match/match-templates.js';
export { SortingAccumulator, type AccumulatorOptions, type ChunkPlace } from './sort/sorting-accumulator.js';
export {
  sortGroup,
  detectionGeometry,
  probeMerge,
  type SortGroupOptions,
  type SortedUnit,
  type GroupSorting,
} from './sort/sort-group.js';
export { compareToTruth, type UnitScore } from './compare/compare-to-truth.js';
export {
  firingRate,
  isiViolations,
  presenceRatio,
  amplitudeCutoff,
  type IsiViolationOptions,
  type AmplitudeCutoffOptions,
} from './metrics/spike-train-metrics.js';
export { isolationMetrics, nearestNeighbourRates, type NearestNeighbourOptions } from './metrics/cluster-metrics.js';
export {
  qualityMetrics,
  unitAmplitudes,
  type QualityMetrics,
  type QualityMetricOptions,
  type NoiseOverlapInput,
} from './metrics/quality-metrics.js';
export {
  noiseOverlap,
  isolationScore,
  type NoiseOverlapOptions,
  type IsolationScoreOptions,
} from './metrics/noise-overlap.js';
export {
  startCuration,
  labelUnits,
  mergeUnits,
  splitUnit,
  autoCurate,
  labelCollisions,
  type CollisionLabelUnit,
  DEFAULT_CURATION_RULES,
  poissonUpperTail,
  type Curation,
  type CurationRule,
  type IsiTestRule,
  type MetricRule,
  type UnitLabel,
} from './curation/curation.js';
export { extractMarks, type Marks, type MarkOptions } from './marks/extract-marks.js';
export { mergeCandidates, type MergeCandidate, type MergeCandidateOptions } from './curation/merge-candidates.js';
export {
  autoMerge,
  autoMergeGroups,
  type AutoMergeOptions,
  type MergeEvidence,
  type MergeReason,
  type SortingMerges,
  type MergeUnit,
} from './curation/auto-merge.js';
export { createSortPool } from './workers/sort-pool.js';
export { sortGroupOnPool } from './workers/sort-group-on-pool.js';
export type { SortWorkerApi } from './workers/sort-worker.js';
export {
  sortStream,
  sortStreamAsync,
  type RecordingSource,
  type AsyncRecordingSource,
  type SortStreamOptions,
} from './stream/sort-stream.js';
/** SHA-256 of this package's sources at build time (provenance step versions carry it). */
export { CODE_HASH as codeHash } from './code-hash.generated.js';
export {
  probeNeighbourhoods,
  keepCoreUnits,
  type Neighbourhood,
  type NeighbourhoodOptions,
} from './probe/neighbourhoods.js';
export { sortProbe, type SortProbeOptions, type ProbeSorting } from './probe/sort-probe.js';
export { collisionUnits, type CollisionUnit, type CollisionUnitOptions } from './curation/collision-units.js';
