export {
  STEPS,
  lfpStep,
  lfpBandStep,
  positionStep,
  ripplesStep,
  muaEventsStep,
  sortStep,
  curateStep,
  marksStep,
  linearizeStep,
  decodeStep,
  replayStep,
} from './steps/index.js';
export type { ReplayEvent } from './steps/replay.js';
export {
  resultView,
  type ResultView,
  type ResultViewOptions,
  type DecodeView,
  type ReplayView,
  type RipplesView,
  type MuaEventsView,
  type SortView,
  type PosteriorImage,
} from './view/result-view.js';
export { trodesPosition, positionOf, POSITION_DEFAULTS } from './steps/position.js';
export { curateData, type CurationSplit, type CuratedUnit } from './steps/curate.js';
export { Session, withSession, cmPerUnit, type SessionInfo, type GroupSelection } from './session/session.js';
export { sortNwb, withGroups, type SortNwbOptions, type FileSorting, type FileUnit } from './sort/sort-nwb.js';
export { marksFromNwb, type MarksFromNwbOptions } from './sort/marks-from-nwb.js';
export { writeUnitsNwb, unitSpikeTimes } from './nwb/units.js';
export { analysisNwb } from './nwb/analysis-file.js';
export { compareNwbFiles } from './nwb/compare-nwb.js';
/** SHA-256 of this package's sources at build time (step versions carry it). */
export { CODE_HASH as codeHash } from './code-hash.generated.js';
export { MAIN_PIPELINE } from './main-pipeline.js';
