export { lfp, lfpDesign, LfpFilter, type LfpOptions, type LfpDesign, type LfpResult } from './lfp.js';
export { bandFilter, bandAnalysis, bandTaps, LFP_BANDS, type BandFilterOptions, type BandAnalysis } from './band.js';
