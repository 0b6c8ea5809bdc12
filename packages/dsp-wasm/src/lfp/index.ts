export { lfp, lfpDesign, LfpFilter, type LfpOptions, type LfpDesign, type LfpResult } from './lfp.js';
export {
  bandFilter,
  bandAnalysis,
  bandAnalysisInWindows,
  bandTaps,
  LFP_BANDS,
  type BandFilterOptions,
  type BandAnalysis,
  type BandAnalysisWindow,
  type RowReader,
  type WindowedBandOptions,
} from './band.js';
