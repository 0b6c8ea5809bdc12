import { ParameterError, concatArrays, intersectIntervals, type Interval } from '@spyglass-wasm/core';
import { codeHash as decodingCode, decodingKernels, replayScore } from '@spyglass-wasm/decoding';
import decodingPackage from '@spyglass-wasm/decoding/package.json';
import type { Step } from '@spyglass-wasm/provenance';
import { codeHash as sortCode, spikeSortKernels } from '@spyglass-wasm/spike-sort';
import sortPackage from '@spyglass-wasm/spike-sort/package.json';
import { analysisNwb } from '../nwb/analysis-file.js';
import { resultData, withSession } from '../session/session.js';
import { stepCode } from './code.js';
import { DECODE_PARAMS, encodeModel, oneInterval, positionCm } from './decode.js';
import { interval, nullable, number, stepParams, withDefault } from './params.js';

/** One candidate event, scored. Positions in cm along the track. */
export interface ReplayEvent {
  start: number;
  stop: number;
  startPosition: number;
  endPosition: number;
  /** Mean probability of the continuous state over the event (1 with a continuous-only model). */
  continuousFraction: number;
  replayScore: number;
  pValue: number;
  direction: 'forward' | 'reverse';
  significant: boolean;
}

/**
 * Replay (the lab's central analysis): place fields encoded while the animal runs (`encode`), then
 * each candidate event in the rest or sleep interval (`decode`) — ripples from a `ripples` result,
 * or the intervals `events` names — decoded with the continuous/fragmented state-space model and
 * scored: posterior-weighted correlation of time and position against position-rotation shuffles
 * (p-value), the line's start and end position, direction (forward = towards larger positions),
 * and the fraction of time in the continuous state. Significant: p < alpha and a continuous
 * fraction of at least minContinuous (random firing decodes as fragmented). Needs a straight track.
 */
export const replayStep: Step = {
  name: 'replay',
  description: 'Replay: encode on run, decode each rest/sleep event, score its trajectory against shuffles',
  code: stepCode(decodingPackage, [decodingKernels, spikeSortKernels], {
    [decodingPackage.name]: decodingCode,
    [sortPackage.name]: sortCode,
  }),
  inputs: ['units', 'session'],
  optionalInputs: ['ripples', 'position'],
  ...stepParams('replay', {
    ...DECODE_PARAMS,
    binSize: withDefault(number({ min: 1e-4, max: 0.1 }), DECODE_PARAMS.binSize.default),
    stateSpace: withDefault(DECODE_PARAMS.stateSpace, 'continuous-fragmented'),
    encode: nullable(interval()),
    decode: nullable(interval()),
    events: nullable(interval()),
    shuffles: number({ min: 10, max: 100_000, integer: true }, 500),
    alpha: number({ min: 0, max: 1, exclusiveMin: true }, 0.05),
    minContinuous: number({ min: 0, max: 1 }, 0.5),
    minDuration: number({ min: 0, max: 10 }, 0.02),
  }),
  async run({ units, session, ripples, position: positionInput }, params, ctx) {
    const binSize = params.binSize as number,
      shuffles = params.shuffles as number,
      alpha = params.alpha as number;
    const minDuration = params.minDuration as number,
      minContinuous = params.minContinuous as number;
    if (params.encode == null || params.decode == null)
      throw new ParameterError(
        'encode/decode',
        'an interval to encode on (run) and one to decode (rest or sleep)',
        null,
      );
    const { info, encode, decodeSpan, candidates } = await withSession(session, 'session', (s) => {
      const encode = oneInterval(s.interval(params.encode as string, 'encode'), 'encode');
      const decodeSpan = s.interval(params.decode as string, 'decode');
      let candidates: Interval[];
      if (ripples) {
        const d = resultData(ripples, 'ripples');
        candidates = Array.from(d.arrays.start.data, (a, i) => [a, d.arrays.end.data[i]] as Interval);
      } else if (params.events != null) candidates = s.interval(params.events as string, 'events');
      else
        throw new ParameterError('ripples', 'a ripples result or an `events` interval (candidate events)', 'neither');
      return { info: s.info, encode, decodeSpan, candidates };
    });
    const position = alongTrack(
      await positionCm(positionInput ?? session, positionInput ? 'position' : 'session'),
      encode,
    );
    const events = intersectIntervals(candidates, decodeSpan).filter(
      ([a, b]) => b - a >= Math.max(minDuration, 3 * binSize),
    );
    const model = await encodeModel(
      units,
      {
        position: position.cm,
        positionTimes: position.times,
        interval: [encode[0], encode[1]],
        environment: { binSize: params.placeBinSize as number },
        positionStd: params.positionStd as number,
      },
      params,
    );
    const scored: ReplayEvent[] = [];
    const posteriors: Float32Array[] = [];
    const times: Float64Array[] = [];
    let centers: Float64Array | undefined;
    for (const [i, [start, stop]] of events.entries()) {
      const r = model.decode({
        start,
        stop,
        binSize,
        movementVar: params.movementVar as number,
        stateSpace: params.stateSpace as 'continuous-fragmented',
      });
      centers ??= Float64Array.from(r.env.centers.data);
      const s = replayScore(r.positionPosterior, r.env.centers.data, { shuffles, seed: i + 1, binSize });
      const continuous = r.stateNames.indexOf('continuous');
      let fraction = 1;
      if (continuous >= 0) {
        fraction = 0;
        for (let t = 0; t < r.statePosterior.rows; t++)
          fraction += r.statePosterior.data[t * r.statePosterior.cols + continuous];
        fraction /= r.statePosterior.rows;
      }
      scored.push({
        start,
        stop,
        startPosition: s.startPosition,
        endPosition: s.endPosition,
        continuousFraction: fraction,
        replayScore: s.weightedCorrelation,
        pValue: s.pValue,
        direction: s.direction,
        // a replay is an ordered sweep (shuffle test) that the model also sees as continuous movement
        significant: s.pValue < alpha && fraction >= minContinuous,
      });
      posteriors.push(Float32Array.from(r.positionPosterior.data));
      times.push(r.time);
      ctx.onProgress?.((i + 1) / events.length);
    }
    const nBins = centers?.length ?? 0;
    const col = (k: keyof ReplayEvent) => Float64Array.from(scored, (e) => Number(e[k]));
    const allTimes = concatArrays(times, Float64Array),
      allPosterior = concatArrays(posteriors, Float32Array);
    return {
      arrays: {
        start: { data: col('start'), shape: [scored.length] },
        stop: { data: col('stop'), shape: [scored.length] },
        startPosition: { data: col('startPosition'), shape: [scored.length] },
        endPosition: { data: col('endPosition'), shape: [scored.length] },
        continuousFraction: { data: col('continuousFraction'), shape: [scored.length] },
        replayScore: { data: col('replayScore'), shape: [scored.length] },
        pValue: { data: col('pValue'), shape: [scored.length] },
        posteriorTime: { data: allTimes, shape: [allTimes.length] },
        posterior: { data: allPosterior, shape: [allTimes.length, nBins] },
        posteriorEnds: {
          data: Int32Array.from(times.reduce<number[]>((ends, t) => [...ends, (ends.at(-1) ?? 0) + t.length], [])),
          shape: [times.length],
        },
        binCenters: { data: centers ?? new Float64Array(0), shape: [nBins] },
      },
      json: {
        session: info,
        events: scored,
        encode,
        decode: decodeSpan,
        sources: model.sources,
        mode: params.mode,
        alpha,
        minContinuous,
        column: position.columns[0],
      },
      summary: {
        events: scored.length,
        significant: scored.filter((e) => e.significant).length,
        forward: scored.filter((e) => e.significant && e.direction === 'forward').length,
        reverse: scored.filter((e) => e.significant && e.direction === 'reverse').length,
      },
    };
  },
  analysisFile: analysisNwb('replay', (d, w) => {
    const events = d.json.events as ReplayEvent[];
    const m = (k: string) => Float64Array.from(d.arrays[k].data as Float64Array, (v) => v / 100);
    w.addTimeIntervals({
      name: 'replay_events',
      description: `replay candidates decoded with place fields encoded on ${JSON.stringify(d.json.encode)} s; significance by position-rotation shuffles`,
      start: d.arrays.start.data,
      stop: d.arrays.stop.data,
      columns: {
        start_position: {
          values: m('startPosition'),
          description: 'decoded position at the event start (weighted line), metres',
        },
        end_position: {
          values: m('endPosition'),
          description: 'decoded position at the event end (weighted line), metres',
        },
        continuous_fraction: {
          values: d.arrays.continuousFraction.data,
          description: 'mean probability of the continuous state',
        },
        replay_score: {
          values: d.arrays.replayScore.data,
          description: 'posterior-weighted correlation of time and position',
        },
        p_value: {
          values: d.arrays.pValue.data,
          description: 'fraction of position-rotation shuffles scoring at least |replay_score|',
        },
        direction: {
          values: events.map((e) => e.direction),
          description: 'forward: towards larger track positions; reverse: towards smaller',
        },
      },
    });
    const [n, bins] = d.arrays.posterior.shape;
    if (n) {
      w.addTimeSeries({
        name: 'replay_posterior',
        module: 'decoding',
        container: null,
        data: { data: d.arrays.posterior.data as Float32Array, rows: n, cols: bins },
        unit: 'probability',
        timestamps: d.arrays.posteriorTime.data as Float64Array,
        description: 'posterior over position bins in each replay event (events one after another; see replay_events)',
      });
    }
  }),
};

/**
 * Position along a straight track: the coordinate that spans the track while the animal runs
 * (the encode interval); the other must span under a fifth of it (tracking jitter), else the
 * track is not straight and must be linearized first.
 */
function alongTrack(p: Awaited<ReturnType<typeof positionCm>>, encode: readonly [number, number]) {
  if (p.cm.cols === 1) return p;
  // robust span (2nd to 98th percentile), so tracking glitches do not make a straight track look 2-D
  const span = (c: number) => {
    const v = Float64Array.from(p.times.keys(), (i) => p.cm.data[i * p.cm.cols + c])
      .filter((x, i) => p.times[i] >= encode[0] && p.times[i] <= encode[1] && Number.isFinite(x))
      .sort();
    return v.length ? v[Math.floor(0.98 * (v.length - 1))] - v[Math.floor(0.02 * (v.length - 1))] : 0;
  };
  const spans = Array.from({ length: p.cm.cols }, (_, c) => span(c));
  const along = spans[0] >= spans[1] ? 0 : 1;
  if (spans[1 - along] > spans[along] / 5)
    throw new ParameterError(
      'session',
      'a straight (1-D) track while running (linearize other environments first)',
      `a path spanning ${spans.map((x) => x.toFixed(0)).join(' × ')} cm`,
    );
  const data = Float64Array.from({ length: p.cm.rows }, (_, i) => p.cm.data[i * p.cm.cols + along]);
  return { times: p.times, cm: { data, rows: p.cm.rows, cols: 1 }, columns: [p.columns[along]] };
}
