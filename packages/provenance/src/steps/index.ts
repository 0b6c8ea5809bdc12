import type { Step } from '../step.js';
import { decodeStep } from './decode-step.js';
import { lfpBandStep } from './lfp-band-step.js';
import { lfpStep } from './lfp-step.js';
import { ripplesStep } from './ripples-step.js';
import { sortStep } from './sort-step.js';
import { curateStep } from './curate-step.js';
import { marksStep } from './marks-step.js';
import { linearizeStep } from './linearize-step.js';

export { lfpStep, lfpBandStep, ripplesStep, sortStep, curateStep, marksStep, linearizeStep, decodeStep };

/** The steps wired so far, by name. */
export const STEPS: Record<string, Step> = { lfp: lfpStep, 'lfp-band': lfpBandStep, ripples: ripplesStep, sort: sortStep, curate: curateStep, marks: marksStep, linearize: linearizeStep, decode: decodeStep };
