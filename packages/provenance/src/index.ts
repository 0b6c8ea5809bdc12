export { canonicalJson } from './canonical-json.js';
export { hashBytes, hashJson, hashArray, hashFile, hashBlob, HASH_PREFIX } from './hash.js';
export * from './records.js';
export { resultKey, type KeyParts } from './result-key.js';
export { resolveParams } from './parameter-sets.js';
export type { Sql } from './store/sql.js';
export { Store, type Job, type JobPayload } from './store/store.js';
export type { ResultRepository, JobQueue } from './store/interfaces.js';
export { SqlResultRepository } from './store/result-repository.js';
export { SqlJobQueue } from './store/job-queue.js';
export { openStore, type OpenStoreOptions } from './store/open-store.js';
export { checkStore, findLeftovers, LEFTOVER_AGE_MS, type StoreCheck, type Leftovers } from './store/leftovers.js';
export { lockDir, type LockOptions } from './store/dir-lock.js';
export type {
  Step,
  StepCode,
  StepContext,
  StepInput,
  StepOutput,
  ResultData,
  ResultArray,
  AnalysisFileWriter,
  ArrayPieces,
  OutputArray,
  PiecedArray,
} from './step.js';
export { arrayPieces } from './pieces.js';
export { stepVersion } from './step-version.js';
export { encodeResult, decodeResult, resultReader, type ResultReader } from './result-file.js';
export { provNodes, PROV_CONTEXT } from './prov.js';
export {
  runStep,
  fileEntity,
  blobEntity,
  loadResult,
  openResult,
  blobPath,
  type InputRef,
  type RunStepOptions,
  type RunOutcome,
} from './runner.js';
export { MemoryBlobStore, type BlobStore, type BlobWriter, type ScratchBlob } from './blobs/blob-store.js';
export { FsBlobStore, writeAtomically } from './blobs/fs-blob-store.js';
export { OpfsBlobStore } from './blobs/opfs-blob-store.js';
export { runWorker, MAX_LEASE_MS, type WorkerOptions } from './worker.js';
export { resultDigest } from './result-digest.js';
export { lineageText } from './log.js';
export {
  lineageGraph,
  lineageGraphOf,
  type LineageGraph,
  type LineageNode,
  type LineageEdge,
  type LineageNodeKind,
} from './lineage-graph.js';
export {
  exportCrate,
  exportCrateZip,
  verifyCrate,
  CRATE_FILE,
  type CrateSink,
  type ExportSummary,
  type VerifyReport,
  type VerifyStep,
  type VerifyLimits,
  type VerifyOptions,
} from './ro-crate.js';
export { parsePipeline, runPipeline, type Pipeline, type PipelineStep, type PipelineRun } from './pipeline.js';
/** SHA-256 of this package's sources at build time (provenance step versions carry it). */
export { CODE_HASH as codeHash } from './code-hash.generated.js';
export { listResults, downstreamOf, deleteResults, type ResultListing, type ResultFilter } from './store/queries.js';
export {
  openCrate,
  crateZipFiles,
  crateUrlFiles,
  type OpenedCrate,
  type CrateFiles,
  type CrateZipLimits,
} from './crate-read.js';
