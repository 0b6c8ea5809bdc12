import { ParameterError, interpolate } from '@spyglass-wasm/core';
import { bandFilter, karlssonRippleDetector, kayRippleDetector, type DetectedEvent } from '@spyglass-wasm/dsp-wasm';
import type { Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { resultData } from '../session/session.js';
import { positionOf } from './position.js';
import { checkParam } from './bounds.js';
import { DSP_CODE } from './code.js';

/**
 * The position step's speed at the LFP's times. Where tracking left no speed (NaN: dropped frames
 * at the session's edges, or next to a gap longer than the position step's maxGap), the nearest
 * known speeds are interpolated across, so an unknown speed neither passes nor rejects an event on
 * its own.
 */
function speedAtTimes(times: Float64Array, speed: Float64Array, at: Float64Array): Float64Array | undefined {
  const known = [...speed.keys()].filter((i) => Number.isFinite(speed[i]));
  if (known.length === 0) return undefined;
  return interpolate(Float64Array.from(known, (i) => times[i]), Float64Array.from(known, (i) => speed[i]), at);
}

/** Spyglass's ripple defaults: Kay's detector on 150–250 Hz, speed gate 4 cm/s with TrodesPosV1's smoothing. */
const RIPPLE_DEFAULTS = { detector: 'kay', band: [150, 250], transition: 25, zscoreThreshold: 2, minimumDuration: 0.015, smoothingSigma: 0.004, speedThreshold: 4, speedRule: 'endpoints', closeEventThreshold: 0 };

/**
 * Ripples as RippleTimesV1: the LFP's ripple band (150–250 Hz), Kay's or Karlsson's detector,
 * gated by the animal's speed (when a `position` result or a `session` file is given: the position
 * step's speed, interpolated to the LFP's times; a session without position is an error, since
 * gating silently off would change what is detected).
 * Times are in the session's time base.
 */
export const ripplesStep: Step = {
  name: 'ripples',
  description: 'Ripple detection (Kay or Karlsson) on the ripple band of the LFP, with speed gating',
  code: DSP_CODE,
  inputs: ['lfp'],
  optionalInputs: ['session', 'position'],
  paramSets: {
    default: RIPPLE_DEFAULTS,
    kay: RIPPLE_DEFAULTS,
    karlsson: { ...RIPPLE_DEFAULTS, detector: 'karlsson', zscoreThreshold: 3 },
  },
  async run({ lfp, session, position }, params) {
    const d = resultData(lfp, 'lfp');
    const [rows, cols] = d.arrays.data.shape;
    const fs = d.json.fs as number;
    const time = d.arrays.timestamps.data as Float64Array;
    const band = bandFilter({ data: d.arrays.data.data as Float32Array, rows, cols }, {
      fs, band: checkParam.band(params.band, fs), transition: checkParam.transition(params.transition),
    });
    // speed from the position step's recipe (a position result, or the session file's tracking);
    // never from raw frame differences, where tracking jitter reads as running
    const source = position ?? session;
    const pos = source ? await positionOf(source, position ? 'position' : 'session') : undefined;
    const speed = pos ? speedAtTimes(pos.times, pos.speed, time) : undefined;
    const detect = params.detector === 'kay' ? kayRippleDetector : params.detector === 'karlsson' ? karlssonRippleDetector : undefined;
    if (!detect) throw new ParameterError('detector', "'kay' or 'karlsson'", params.detector);
    const events: DetectedEvent[] = detect(band, {
      fs, time, speed,
      zscoreThreshold: checkParam.zscoreThreshold(params.zscoreThreshold), minimumDuration: params.minimumDuration as number,
      smoothingSigma: checkParam.smoothingSigma(params.smoothingSigma), speedThreshold: params.speedThreshold as number,
      speedRule: params.speedRule as 'endpoints', closeEventThreshold: params.closeEventThreshold as number,
    });
    const col = (k: keyof DetectedEvent) => Float64Array.from(events, (e) => e[k]);
    return {
      arrays: Object.fromEntries((['start', 'peak', 'end', 'duration', 'maxZscore', 'meanZscore', 'peakFrequency', 'speedAtPeak'] as const).map((k) => [k, { data: col(k), shape: [events.length] }])),
      json: { events, detector: params.detector, speedGated: Boolean(speed), session: d.json.session },
      summary: { events: events.length, detector: params.detector, speedGated: Boolean(speed) },
    };
  },
  analysisFile: analysisNwb('ripples', (d, w) => {
    w.addTimeIntervals({
      name: 'ripple_times', description: `ripples (${d.json.detector} detector), session time base`,
      start: d.arrays.start.data, stop: d.arrays.end.data,
      columns: {
        peak_time: { values: d.arrays.peak.data, description: 'time of the largest z-score, s' },
        duration: { values: d.arrays.duration.data, description: 'stop - start, s' },
        max_zscore: { values: d.arrays.maxZscore.data, description: 'largest z-score in the event' },
        mean_zscore: { values: d.arrays.meanZscore.data, description: 'mean z-score over the event' },
        peak_frequency: { values: d.arrays.peakFrequency.data, description: 'instantaneous frequency at the peak (Hilbert phase slope over 20 ms), Hz' },
        speed_at_peak: { values: d.arrays.speedAtPeak.data, description: 'animal speed at the peak, cm/s (NaN when not speed-gated)' },
      },
    });
  }),
};
