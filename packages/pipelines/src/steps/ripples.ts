import { ParameterError } from '@spyglass-wasm/core';
import { bandFilter, karlssonRippleDetector, kayRippleDetector, type DetectedEvent } from '@spyglass-wasm/dsp-wasm';
import type { Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { resultData, speedAt, withSession } from '../session/session.js';
import { DSP_CODE } from './code.js';

/** Spyglass's ripple defaults: Kay's detector on 150–250 Hz, speed gate 4 cm/s with TrodesPosV1's smoothing. */
const RIPPLE_DEFAULTS = { detector: 'kay', band: [150, 250], transition: 25, zscoreThreshold: 2, minimumDuration: 0.015, smoothingSigma: 0.004, speedThreshold: 4, speedRule: 'endpoints', closeEventThreshold: 0, positionSmoothing: 0.125, speedSmoothing: 0.1 };

/**
 * Ripples as RippleTimesV1: the LFP's ripple band (150–250 Hz), Kay's or Karlsson's detector,
 * gated by the animal's speed from the session's position (when the `session` input is given).
 * Times are in the session's time base.
 */
export const ripplesStep: Step = {
  name: 'ripples',
  description: 'Ripple detection (Kay or Karlsson) on the ripple band of the LFP, with speed gating',
  code: DSP_CODE,
  inputs: ['lfp'],
  optionalInputs: ['session'],
  paramSets: {
    default: RIPPLE_DEFAULTS,
    kay: RIPPLE_DEFAULTS,
    karlsson: { ...RIPPLE_DEFAULTS, detector: 'karlsson', zscoreThreshold: 3 },
  },
  async run({ lfp, session }, params) {
    const d = resultData(lfp, 'lfp');
    const [rows, cols] = d.arrays.data.shape;
    const fs = d.json.fs as number;
    const time = d.arrays.timestamps.data as Float64Array;
    const band = bandFilter({ data: d.arrays.data.data as Float32Array, rows, cols }, {
      fs, band: params.band as [number, number], transition: params.transition as number,
    });
    const speed = session ? await withSession(session, 'session', (s) =>
      speedAt(s, time, { positionSmoothing: params.positionSmoothing as number, speedSmoothing: params.speedSmoothing as number })) : undefined;
    const detect = params.detector === 'kay' ? kayRippleDetector : params.detector === 'karlsson' ? karlssonRippleDetector : undefined;
    if (!detect) throw new ParameterError('detector', "'kay' or 'karlsson'", params.detector);
    const events: DetectedEvent[] = detect(band, {
      fs, time, speed,
      zscoreThreshold: params.zscoreThreshold as number, minimumDuration: params.minimumDuration as number,
      smoothingSigma: params.smoothingSigma as number, speedThreshold: params.speedThreshold as number,
      speedRule: params.speedRule as 'endpoints', closeEventThreshold: params.closeEventThreshold as number,
    });
    const col = (k: keyof DetectedEvent) => Float64Array.from(events, (e) => e[k]);
    return {
      arrays: { start: { data: col('start'), shape: [events.length] }, peak: { data: col('peak'), shape: [events.length] }, end: { data: col('end'), shape: [events.length] }, maxZscore: { data: col('maxZscore'), shape: [events.length] } },
      json: { events, detector: params.detector, speedGated: Boolean(speed), session: d.json.session },
      summary: { events: events.length, detector: params.detector, speedGated: Boolean(speed) },
    };
  },
  analysisFile: analysisNwb('ripples', (d, w) => {
    w.addTimeIntervals({
      name: 'ripple_times', description: `ripples (${d.json.detector} detector), session time base`,
      start: d.arrays.start.data, stop: d.arrays.end.data,
      columns: { peak_time: { values: d.arrays.peak.data, description: 'time of the largest z-score, s' }, max_zscore: { values: d.arrays.maxZscore.data, description: 'largest z-score in the event' } },
    });
  }),
};
