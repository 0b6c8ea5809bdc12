import { detectRipplesInWindows, type DetectedEvent } from '@spyglass-wasm/dsp-wasm';
import { resultReader, type Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { resultData } from '../session/session.js';
import { SPEED_GATE_PARAMS, gateOptions, gatePosition, gateSpeedReader } from './speed-gate.js';
import { belowNyquist } from './bounds.js';
import { band, choice, number, stepParams } from './params.js';
import { DSP_CODE } from './code.js';

/**
 * Spyglass's ripple defaults (Kay's detector on 150–250 Hz, 4 cm/s speed gate at the event's ends),
 * with one change: the gate reads the animal as still when the position step's speed says so, or
 * when its smoothed position moved less than the threshold over the `speedWindow` = 1 s around
 * (speed-gate.ts, shared with mua-events). `speedWindow: 0` is Spyglass's gate exactly.
 */
const RIPPLE_PARAMS = stepParams(
  'ripples',
  {
    detector: choice(['kay', 'karlsson'], 'kay'),
    band: band([150, 250]),
    transition: number({ min: 0.1, max: 1000 }, 25),
    zscoreThreshold: number({ min: 0, max: 100, exclusiveMin: true }, 2),
    minimumDuration: number({ min: 0, max: 10 }, 0.015),
    smoothingSigma: number({ min: 1e-4, max: 1 }, 0.004),
    ...SPEED_GATE_PARAMS,
    closeEventThreshold: number({ min: 0, max: 10 }, 0),
  },
  { kay: {}, karlsson: { detector: 'karlsson', zscoreThreshold: 3 } },
);

/**
 * Ripples as RippleTimesV1: the LFP's ripple band (150–250 Hz), Kay's or Karlsson's detector,
 * gated by the animal's speed (when a `position` result or a `session` file is given: the position
 * step's speed, interpolated to the LFP's times; a session without position is an error, since
 * gating silently off would change what is detected).
 * Times are in the session's time base. The LFP is read in windows (dsp-wasm's
 * detectRipplesInWindows: the band in float64, each window's envelope with 1 s around it), so
 * memory does not hold the session's LFP or band, nor anything per sample with either detector (two
 * passes; times and speed read a window at a time; the first pass's traces kept up to the default
 * trace budget: 2.2 h at 1 kHz for either detector, at most 256 MiB).
 */
export const ripplesStep: Step = {
  name: 'ripples',
  description: 'Ripple detection (Kay or Karlsson) on the ripple band of the LFP, with speed gating',
  code: DSP_CODE,
  inputs: ['lfp'],
  optionalInputs: ['session', 'position'],
  ...RIPPLE_PARAMS,
  // the LFP is read in windows (never whole): memory holds a window and the trace budget
  windowedInputs: ['lfp'],
  async run({ lfp, session, position }, params) {
    const d = resultData(lfp, 'lfp');
    const reader = lfp.kind === 'result' && lfp.reader ? lfp.reader : resultReader(d);
    const [rows, cols] = reader.arrays.data.shape;
    const fs = d.json.fs as number;
    // speed from the position step's recipe (a position result, or the session file's tracking);
    // never from raw frame differences, where tracking jitter reads as running. Times and speed are
    // read a window at a time, as the LFP is: nothing per sample of the session stays in memory
    const speedAt = gateSpeedReader(await gatePosition({ position, session }), params);
    const events = await detectRipplesInWindows(
      { rows, cols, read: async (a, b) => (await reader.read('data', a, b)) as Float32Array },
      {
        detector: params.detector as 'kay' | 'karlsson',
        band: { band: belowNyquist(params.band as [number, number], fs), transition: params.transition as number },
        fs,
        readTime: async (a, b) => (await reader.read('timestamps', a, b)) as Float64Array,
        readSpeed: speedAt && ((_a, _b, time) => speedAt(time)),
        zscoreThreshold: params.zscoreThreshold as number,
        minimumDuration: params.minimumDuration as number,
        smoothingSigma: params.smoothingSigma as number,
        ...gateOptions(params),
        closeEventThreshold: params.closeEventThreshold as number,
      },
    );
    const col = (k: keyof DetectedEvent) => Float64Array.from(events, (e) => e[k]);
    return {
      arrays: Object.fromEntries(
        (['start', 'peak', 'end', 'duration', 'maxZscore', 'meanZscore', 'peakFrequency', 'speedAtPeak'] as const).map(
          (k) => [k, { data: col(k), shape: [events.length] }],
        ),
      ),
      json: { events, detector: params.detector, speedGated: Boolean(speedAt), session: d.json.session },
      summary: { events: events.length, detector: params.detector, speedGated: Boolean(speedAt) },
    };
  },
  analysisFile: analysisNwb('ripples', (d, w) => {
    w.addTimeIntervals({
      name: 'ripple_times',
      description: `ripples (${d.json.detector} detector), session time base`,
      start: d.arrays.start.data,
      stop: d.arrays.end.data,
      columns: {
        peak_time: { values: d.arrays.peak.data, description: 'time of the largest z-score, s' },
        duration: { values: d.arrays.duration.data, description: 'stop - start, s' },
        max_zscore: { values: d.arrays.maxZscore.data, description: 'largest z-score in the event' },
        mean_zscore: { values: d.arrays.meanZscore.data, description: 'mean z-score over the event' },
        peak_frequency: {
          values: d.arrays.peakFrequency.data,
          description: 'instantaneous frequency at the peak (Hilbert phase slope over 20 ms), Hz',
        },
        speed_at_peak: {
          values: d.arrays.speedAtPeak.data,
          description:
            "speed the gate read at the peak (the lesser of the position step's speed and the net speed over speedWindow s around it), cm/s; NaN when not speed-gated",
        },
      },
    });
  }),
};
