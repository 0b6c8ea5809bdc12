import type { Step } from '@spyglass-wasm/provenance';
import { curateStep } from './curate.js';
import { decodeStep } from './decode.js';
import { lfpBandStep } from './lfp-band.js';
import { lfpStep } from './lfp.js';
import { linearizeStep } from './linearize.js';
import { marksStep } from './marks.js';
import { muaEventsStep } from './mua-events.js';
import { positionStep } from './position.js';
import { replayStep } from './replay.js';
import { ripplesStep } from './ripples.js';
import { sortStep } from './sort.js';

export {
  lfpStep,
  lfpBandStep,
  ripplesStep,
  muaEventsStep,
  sortStep,
  curateStep,
  marksStep,
  positionStep,
  linearizeStep,
  decodeStep,
  replayStep,
};

/** Every step, by name, in pipeline order. */
export const STEPS: Record<string, Step> = {
  lfp: lfpStep,
  'lfp-band': lfpBandStep,
  position: positionStep,
  ripples: ripplesStep,
  'mua-events': muaEventsStep,
  sort: sortStep,
  curate: curateStep,
  marks: marksStep,
  linearize: linearizeStep,
  decode: decodeStep,
  replay: replayStep,
};
