import {
  NwbFormatError,
  ParameterError,
  concatArrays,
  intersectIntervals,
  searchSorted,
  type Interval,
} from '@spyglass-wasm/core';
import { codeHash as decodingCode } from '@spyglass-wasm/decoding';
import decodingPackage from '@spyglass-wasm/decoding/package.json';
import { codeHash as dspCode, dspKernels, multiunitHseDetector, type DetectedEvent } from '@spyglass-wasm/dsp-wasm';
import dspPackage from '@spyglass-wasm/dsp-wasm/package.json';
import type { ResultData, Step, StepInput } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { withSession, type SessionInfo } from '../session/session.js';
import { SPEED_GATE_PARAMS, gateOptions, gatePosition, gateSpeedAt, trackedSpans } from './speed-gate.js';
import { stepCode } from './code.js';
import { stepIntervals } from './interval.js';
import { interval, number, stepParams } from './params.js';

/**
 * Spyglass's MuaEventsParameters defaults (z 2, 15 ms minimum, 4 cm/s, no close-event rule) and
 * ripple_detection's 15 ms rate smoothing; the rate is counted in `binSize` bins (2 ms, Spyglass's
 * usual 500 Hz position rate). The gate is the ripples step's (speed-gate.ts).
 */
const MUA_PARAMS = stepParams('mua-events', {
  binSize: number({ min: 1e-4, max: 0.1 }, 0.002),
  smoothingSigma: number({ min: 1e-4, max: 1 }, 0.015),
  zscoreThreshold: number({ min: 0, max: 100, exclusiveMin: true }, 2),
  minimumDuration: number({ min: 0, max: 10 }, 0.015),
  ...SPEED_GATE_PARAMS,
  closeEventThreshold: number({ min: 0, max: 10 }, 0),
  interval: interval(),
});

/** Every spike of the population, sorted: what the multiunit rate counts. */
interface Population {
  times: Float64Array;
  /** Sorted units (a sort or curate result, a file's Units table) or threshold crossings (marks). */
  kind: 'units' | 'crossings';
  /** Units, or electrode groups for crossings. */
  sources: number;
  session?: SessionInfo;
}

/** The spikes of a sort/curate result (spikeTimes), a marks result (threshold crossings, times) or a file's Units. */
async function population(input: StepInput): Promise<Population> {
  if (input.kind === 'result') {
    const d: ResultData = input.data;
    const session = d.json.session as SessionInfo | undefined;
    if (d.arrays.spikeTimes && d.arrays.spikeTimesIndex)
      return sorted(d.arrays.spikeTimes.data, 'units', d.arrays.spikeTimesIndex.shape[0], session);
    if (d.arrays.times && d.arrays.timesIndex)
      return sorted(d.arrays.times.data, 'crossings', d.arrays.timesIndex.shape[0], session);
    throw new ParameterError(
      'spikes',
      'a sort, curate or marks result (spike times)',
      `a result with ${Object.keys(d.arrays).join(', ')}`,
    );
  }
  return withSession(input, 'spikes', (s) => {
    const units = s.nwb.units();
    if (!units || units.spikeTimes.length === 0)
      throw new NwbFormatError(
        input.path,
        '/units',
        'a Units table with spike_times (for threshold crossings, give a marks result as spikes)',
      );
    return sorted(concatArrays(units.spikeTimes, Float64Array), 'units', units.spikeTimes.length, s.info);
  });
}

function sorted(times: ArrayLike<number>, kind: Population['kind'], sources: number, session?: SessionInfo) {
  return { times: Float64Array.from(times).sort(), kind, sources, ...(session ? { session } : {}) };
}

/**
 * Where events are looked for: the position's tracked spans when gated (speed-gate.ts: tracking
 * lost for over 1 s is left out, frames missing or NaN; else the spikes' span),
 * within the `interval` parameter's intervals when given. Spyglass's MuaEventsV1 detects on an
 * interval list (its detection_interval's valid times): one rate z-score over the samples inside
 * the list, so here too bins exist only inside these spans (the rate's mean and SD come from all
 * of them together), and the detector, which splits its input at time gaps, smooths and thresholds
 * each span on its own: no event spans a gap.
 */
function detectionSpans(
  pos: Parameters<typeof trackedSpans>[0] | undefined,
  spikes: Float64Array,
  binSize: number,
  intervals: Interval[] | undefined,
): Interval[] {
  const data: Interval[] = pos ? trackedSpans(pos) : [[spikes[0], spikes[spikes.length - 1] + binSize]];
  if (!intervals) return data;
  const spans = intersectIntervals(data, intervals).filter(([a, b]) => b - a >= binSize);
  if (spans.length === 0)
    throw new ParameterError(
      'interval',
      `an interval overlapping the ${pos ? 'tracking' : 'spikes'} (${data[0][0]}–${data[data.length - 1][1]} s)`,
      intervals.map((i) => `[${i.join(', ')}]`).join(' '),
    );
  return spans;
}

/** Spikes per `binSize` bin within each span (bin centres as times), the multiunit detector's input. */
function binSpikes(spikes: Float64Array, spans: readonly Interval[], binSize: number) {
  const parts = spans.map(([t0, t1]) => {
    const n = Math.floor((t1 - t0) / binSize);
    const counts = new Float64Array(n);
    for (let i = searchSorted(spikes, t0); i < spikes.length && spikes[i] < t0 + n * binSize; i++)
      counts[Math.min(n - 1, Math.floor((spikes[i] - t0) / binSize))]++;
    return { counts, time: Float64Array.from({ length: n }, (_, i) => t0 + (i + 0.5) * binSize) };
  });
  const counts = concatArrays(
    parts.map((p) => p.counts),
    Float64Array,
  );
  const span = spans.length ? spans[spans.length - 1][1] - spans[0][0] : 0;
  if (!(counts.length >= 2)) throw new ParameterError('binSize', `bins shorter than the span (${span} s)`, binSize);
  return {
    counts,
    time: concatArrays(
      parts.map((p) => p.time),
      Float64Array,
    ),
  };
}

/**
 * Multiunit high-synchrony events as Spyglass's MuaEventsV1 (ripple_detection's
 * multiunit_HSE_detector): every spike of the population (sorted units, or threshold crossings
 * from a marks result) counted in `binSize` bins, the rate smoothed with a Gaussian (σ 15 ms),
 * z-scored; events where z ≥ 2 for 15 ms, extended to where the rate returns to its mean, gated on
 * speed ≤ 4 cm/s from the position step (a `position` result, else the `session` file's tracking
 * through the same recipe; the ripples step's gate). Without either no gate applies.
 * The events lie within the position's tracked spans when gated (gaps over 1 s are not bridged),
 * else the spikes' span; only within `interval` (an epoch tag, a TimeIntervals name looked up in
 * the `session` or spikes file, or [[start, stop], …]) when given. Times in the session's time base.
 */
export const muaEventsStep: Step = {
  name: 'mua-events',
  description: 'Multiunit high-synchrony events (population rate z-score), speed-gated by the position step',
  code: stepCode(dspPackage, [dspKernels], { [dspPackage.name]: dspCode, [decodingPackage.name]: decodingCode }),
  inputs: ['spikes'],
  optionalInputs: ['session', 'position'],
  ...MUA_PARAMS,
  async run({ spikes, session, position }, params) {
    const pop = await population(spikes);
    const pos = await gatePosition({ position, session });
    const binSize = params.binSize as number;
    if (pop.times.length === 0 && !pos) throw new ParameterError('spikes', 'at least one spike', 'none');
    // a name is looked up in the session file, else in the spikes file (its Units)
    const names = session?.kind === 'file' ? session : spikes.kind === 'file' ? spikes : session;
    const intervals = await stepIntervals(params.interval, { session: names });
    const spans = detectionSpans(pos, pop.times, binSize, intervals);
    const [t0, t1] = [spans[0][0], spans[spans.length - 1][1]];
    const { counts, time } = binSpikes(pop.times, spans, binSize);
    const speed = gateSpeedAt(pos, time, params);
    const events: DetectedEvent[] = multiunitHseDetector(
      { data: counts, rows: counts.length, cols: 1 },
      {
        fs: 1 / binSize,
        time,
        speed,
        smoothingSigma: params.smoothingSigma as number,
        zscoreThreshold: params.zscoreThreshold as number,
        minimumDuration: params.minimumDuration as number,
        ...gateOptions(params),
        closeEventThreshold: params.closeEventThreshold as number,
      },
    );
    const col = (k: keyof DetectedEvent) => Float64Array.from(events, (e) => e[k]);
    const sessionInfo = pop.session ?? (position?.kind === 'result' ? position.data.json.session : undefined);
    return {
      arrays: Object.fromEntries(
        (['start', 'peak', 'end', 'duration', 'maxZscore', 'meanZscore', 'speedAtPeak'] as const).map((k) => [
          k,
          { data: col(k), shape: [events.length] },
        ]),
      ),
      json: {
        events: events.map(({ start, peak, end, duration, maxZscore, meanZscore, speedAtPeak }) => ({
          start,
          peak,
          end,
          duration,
          maxZscore,
          meanZscore,
          speedAtPeak,
        })),
        spikeSource: pop.kind,
        sources: pop.sources,
        spikes: pop.times.length,
        span: [t0, t1],
        spans: spans.map(([a, b]) => [a, b]),
        ...(params.interval != null ? { interval: params.interval } : {}),
        speedGated: Boolean(speed),
        ...(sessionInfo ? { session: sessionInfo } : {}),
      },
      summary: { events: events.length, spikes: pop.times.length, spikeSource: pop.kind, speedGated: Boolean(speed) },
    };
  },
  analysisFile: analysisNwb('mua-events', (d, w) => {
    w.addTimeIntervals({
      name: 'mua_times',
      description: `multiunit high-synchrony events (${d.json.spikeSource === 'units' ? 'sorted units' : 'threshold crossings'}), session time base`,
      start: d.arrays.start.data,
      stop: d.arrays.end.data,
      columns: {
        peak_time: { values: d.arrays.peak.data, description: 'time of the largest rate z-score, s' },
        duration: { values: d.arrays.duration.data, description: 'stop - start, s' },
        max_zscore: { values: d.arrays.maxZscore.data, description: 'largest z-score of the population rate' },
        mean_zscore: { values: d.arrays.meanZscore.data, description: 'mean z-score over the event' },
        speed_at_peak: {
          values: d.arrays.speedAtPeak.data,
          description:
            "speed the gate read at the peak (the lesser of the position step's speed and the net speed over speedWindow s around it), cm/s; NaN when not speed-gated",
        },
      },
    });
  }),
};
