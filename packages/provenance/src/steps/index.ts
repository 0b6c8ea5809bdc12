import type { Step } from '../step.js';
import { decodeStep } from './decode-step.js';
import { lfpBandStep } from './lfp-band-step.js';
import { lfpStep } from './lfp-step.js';
import { ripplesStep } from './ripples-step.js';
import { sortStep } from './sort-step.js';

export { lfpStep, lfpBandStep, ripplesStep, sortStep, decodeStep };

/** The steps wired so far, by name. */
export const STEPS: Record<string, Step> = { lfp: lfpStep, 'lfp-band': lfpBandStep, ripples: ripplesStep, sort: sortStep, decode: decodeStep };
