import { NwbFormatError, concatArrays, median, type Interval, type Matrix } from '@spyglass-wasm/core';
import { codeHash as decodingCode, positionFromSeries, type ProcessedPosition } from '@spyglass-wasm/decoding';
import decodingPackage from '@spyglass-wasm/decoding/package.json';
import type { ResultData, Step, StepInput } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { Session, resultData, withSession } from '../session/session.js';
import { stepCode } from './code.js';
import { rowRanges } from './interval.js';
import { flag, interval, name, nullable, number, stepParams } from './params.js';

/** Spyglass's TrodesPosParams 'default' set, in this project's names. */
const POSITION_PARAMS = stepParams('position', {
  series: nullable(name('a SpatialSeries')),
  pixelsPerCm: nullable(number({ min: 0, max: 1e4, exclusiveMin: true })),
  maxLedSeparation: number({ min: 0, max: 1e4, exclusiveMin: true }, 9),
  maxPlausibleSpeed: number({ min: 0, max: 1e5, exclusiveMin: true }, 300),
  maxGap: nullable(number({ min: 0, max: 1e5, exclusiveMin: true })),
  positionSmoothingDuration: number({ min: 0, max: 10 }, 0.125),
  speedSmoothingStd: number({ min: 0, max: 10, exclusiveMin: true }, 0.1),
  orientationSmoothingStd: number({ min: 0, max: 10, exclusiveMin: true }, 0.001),
  led1IsFront: flag(true),
  upsample: flag(false),
  upsampleRate: number({ min: 1, max: 10_000 }, 500),
  interval: interval(),
});
export const POSITION_DEFAULTS = POSITION_PARAMS.paramSets.default;

/**
 * Tracking lost for longer than this (s: frames missing, or NaN / dropped by a rule) is an outage:
 * whatever the position step interpolated across it, the speed there is unknown to the event
 * detectors' gate (speed-gate.ts), which neither passes nor rejects an event on invented speed.
 */
export const TRACKING_GAP = 1;

/** The untracked runs longer than TRACKING_GAP: what a position result records as its outages. */
function outagesOf(p: ProcessedPosition): [number, number][] {
  return p.untracked.filter(([a, b]) => b - a > TRACKING_GAP);
}

/**
 * The one owner of position and speed: the session's raw tracking (the session adapter's
 * SpatialSeries; 2 columns = one LED, 4 = two) cleaned as Spyglass's TrodesPosV1 — implausible
 * LED separation and speed dropped, gaps interpolated (up to `maxGap` s), smoothed, centroid, head
 * direction, Gaussian-smoothed velocity and speed (cm, cm/s). Every consumer of speed (the ripple
 * gate, decoding) takes it from here, never from raw frame differences.
 */
export function trodesPosition(
  session: Session,
  params: Record<string, unknown>,
  intervals?: readonly Interval[],
): { processed: ProcessedPosition; source: string } {
  const { series, cm } = session.positionCm(params.series as string | null, {
    pixelsPerCm: (params.pixelsPerCm as number | null) ?? undefined,
  });
  // each interval on its own, as Spyglass runs TrodesPosV1 per interval: no smoothing or gap
  // filling across the edges of an epoch
  const ranges = intervals
    ? rowRanges(series.timestamps, intervals, `${session.nwb.name}: ${series.path}`)
    : [[0, cm.rows] as [number, number]];
  const parts = ranges.map(([a, b]) =>
    trodesSpan(
      session,
      series.path,
      series.timestamps.subarray(a, b),
      { data: cm.data.subarray(a * cm.cols, b * cm.cols), rows: b - a, cols: cm.cols },
      params,
    ),
  );
  return { processed: parts.length === 1 ? parts[0] : concatPositions(parts), source: series.path };
}

/** The TrodesPosV1 recipe on one contiguous span of tracking (cm). */
function trodesSpan(
  session: Session,
  path: string,
  times: Float64Array,
  cm: Matrix<Float64Array>,
  params: Record<string, unknown>,
): ProcessedPosition {
  const { data, rows, cols } = cm;
  if (rows < 3) throw new NwbFormatError(session.nwb.name, path, `at least 3 position samples (${rows})`);
  // one LED is (x, y): a 1-D track is x with y = 0, and a z column is dropped
  const width = cols >= 4 ? 4 : 2;
  const xy = new Float64Array(rows * width);
  for (let i = 0; i < rows; i++) for (let c = 0; c < width; c++) xy[i * width + c] = c < cols ? data[i * cols + c] : 0;
  return positionFromSeries({
    times,
    data: xy,
    cols: width,
    unit: 'cm',
    maxLedSeparation: params.maxLedSeparation as number,
    maxPlausibleSpeed: params.maxPlausibleSpeed as number,
    maxGap: (params.maxGap as number | null) ?? undefined,
    positionSmoothingDuration: params.positionSmoothingDuration as number,
    speedSmoothingStd: params.speedSmoothingStd as number,
    orientationSmoothingStd: params.orientationSmoothingStd as number,
    led1IsFront: params.led1IsFront as boolean,
    upsample: params.upsample as boolean,
    upsampleRate: params.upsampleRate as number,
  });
}

/** Processed spans one after another (the intervals of one position result). */
function concatPositions(parts: ProcessedPosition[]): ProcessedPosition {
  const rows = parts.reduce((n, p) => n + p.times.length, 0);
  const matrix = (k: 'position' | 'velocity') => ({
    data: concatArrays(
      parts.map((p) => p[k].data),
      Float64Array,
    ),
    rows,
    cols: 2,
  });
  const sum = (k: 'dropped' | 'droppedBySeparation' | 'droppedBySpeed') => parts.reduce((n, p) => n + p[k], 0);
  return {
    times: concatArrays(
      parts.map((p) => p.times),
      Float64Array,
    ),
    position: matrix('position'),
    velocity: matrix('velocity'),
    orientation: concatArrays(
      parts.map((p) => p.orientation),
      Float64Array,
    ),
    speed: concatArrays(
      parts.map((p) => p.speed),
      Float64Array,
    ),
    untracked: parts.flatMap((p) => p.untracked),
    dropped: sum('dropped'),
    droppedBySeparation: sum('droppedBySeparation'),
    droppedBySpeed: sum('droppedBySpeed'),
  };
}

/**
 * Position, velocity and speed of a position result, or computed from a file with the default
 * recipe; only the samples within `intervals` when given (a file's tracking is then processed per
 * interval, as the position step does). `outages`: tracking lost for over TRACKING_GAP s.
 */
export async function positionOf(
  input: StepInput,
  role = 'position',
  intervals?: readonly Interval[],
): Promise<{ times: Float64Array; position: Matrix<Float64Array>; speed: Float64Array; outages: Interval[] }> {
  if (input.kind === 'result') {
    const d: ResultData = resultData(input, role);
    const times = d.arrays.time.data as Float64Array,
      position = d.arrays.position.data as Float64Array,
      speed = d.arrays.speed.data as Float64Array;
    // results written before outages were recorded have none: their frame gaps still show in `times`
    const outages = (d.json.outages as Interval[] | undefined) ?? [];
    if (!intervals) return { times, position: { data: position, rows: times.length, cols: 2 }, speed, outages };
    const ranges = rowRanges(times, intervals, `the position result ${input.key}`);
    const rows = ranges.reduce((n, [a, b]) => n + b - a, 0);
    const cut = (a: Float64Array, width: number) =>
      concatArrays(
        ranges.map(([i, j]) => a.subarray(i * width, j * width)),
        Float64Array,
      );
    return {
      times: cut(times, 1),
      position: { data: cut(position, 2), rows, cols: 2 },
      speed: cut(speed, 1),
      outages,
    };
  }
  return withSession(input, role, (s) => {
    const { processed: p } = trodesPosition(s, POSITION_DEFAULTS, intervals);
    return { times: p.times, position: p.position, speed: p.speed, outages: outagesOf(p) };
  });
}

export const positionStep: Step = {
  name: 'position',
  description: "Position, head direction, velocity and speed from raw tracking (Spyglass's TrodesPosV1)",
  code: stepCode(decodingPackage, [], { [decodingPackage.name]: decodingCode }),
  inputs: ['session'],
  ...POSITION_PARAMS,
  async run({ session }, params) {
    return withSession(session, 'session', (s) => {
      const { processed: p, source } = trodesPosition(
        s,
        params,
        params.interval == null ? undefined : s.interval(params.interval as string),
      );
      const n = p.times.length;
      return {
        arrays: {
          time: { data: p.times, shape: [n] },
          position: { data: p.position.data, shape: [n, 2] },
          velocity: { data: p.velocity.data, shape: [n, 2] },
          speed: { data: p.speed, shape: [n] },
          orientation: { data: p.orientation, shape: [n] },
        },
        json: {
          session: s.info,
          source,
          ...(params.interval != null ? { interval: params.interval } : {}),
          outages: outagesOf(p),
          dropped: p.dropped,
          droppedBySeparation: p.droppedBySeparation,
          droppedBySpeed: p.droppedBySpeed,
        },
        summary: {
          samples: n,
          dropped: p.dropped,
          medianSpeedCmPerS: round(median(p.speed.filter(Number.isFinite))),
          ...(params.interval != null ? { interval: params.interval } : {}),
        },
      };
    });
  },
  analysisFile: analysisNwb('position', (d, w) => {
    const n = d.arrays.time.shape[0];
    const timestamps = d.arrays.time.data as Float64Array;
    const meters = Float64Array.from(d.arrays.position.data as Float64Array, (v) => v / 100);
    w.addTimeSeries({
      name: 'position',
      module: 'behavior',
      container: 'Position',
      unit: 'meters',
      timestamps,
      data: { data: meters, rows: n, cols: 2 },
      spatial: { referenceFrame: `LED centroid from ${d.json.source}, smoothed (TrodesPosV1)` },
      description: 'Processed position (TrodesPosV1 recipe)',
    });
    w.addTimeSeries({
      name: 'velocity',
      module: 'behavior',
      container: 'BehavioralTimeSeries',
      unit: 'm/s',
      timestamps,
      data: { data: Float64Array.from(d.arrays.velocity.data as Float64Array, (v) => v / 100), rows: n, cols: 2 },
      description: 'Velocity (x, y), Gaussian-smoothed',
    });
    w.addTimeSeries({
      name: 'speed',
      module: 'behavior',
      container: 'BehavioralTimeSeries',
      unit: 'm/s',
      timestamps,
      data: { data: Float64Array.from(d.arrays.speed.data as Float64Array, (v) => v / 100), rows: n, cols: 1 },
      description: 'Speed, from the Gaussian-smoothed velocity',
    });
    w.addTimeSeries({
      name: 'head_direction',
      module: 'behavior',
      container: 'CompassDirection',
      unit: 'radians',
      timestamps,
      data: { data: Float64Array.from(d.arrays.orientation.data as Float64Array), rows: n, cols: 1 },
      spatial: { referenceFrame: 'angle from back LED to front LED' },
      description: 'Head direction (NaN with one LED)',
    });
  }),
};

const round = (x: number): number => Math.round(x * 100) / 100;
