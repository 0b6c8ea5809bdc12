import { bandAnalysisInWindows } from '@spyglass-wasm/dsp-wasm';
import type { SeriesAppender } from '@spyglass-wasm/nwb-io';
import { arrayPieces, resultReader, type Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { resultData } from '../session/session.js';
import { belowNyquist } from './bounds.js';
import { band, interval, number, stepParams } from './params.js';
import { DSP_CODE } from './code.js';
import { rowRanges, stepIntervals } from './interval.js';

/**
 * A band of the LFP (theta 5–11 Hz by default) with its Hilbert phase and power, as LFPBandV1;
 * only the LFP within `interval` when given (a name needs the `session` file input). The LFP is
 * read in windows (dsp-wasm's bandAnalysisInWindows: the band exactly the whole array's in float64,
 * phase and power each window's Hilbert transform with 5 s of band around it, tapered) and the outputs
 * written in pieces, so memory does not grow with the session.
 */
export const lfpBandStep: Step = {
  name: 'lfp-band',
  description: 'LFP band: zero-phase FIR band-pass, Hilbert phase and power',
  code: DSP_CODE,
  inputs: ['lfp'],
  ...stepParams(
    'lfp-band',
    {
      band: band([5, 11]),
      transition: number({ min: 0.1, max: 1000 }, 1),
      attenuation: number({ min: 1, max: 200 }, 60),
      interval: interval(),
    },
    { theta: {}, ripple: { band: [150, 250], transition: 25 } },
  ),
  optionalInputs: ['session'],
  // the LFP is read in windows (never whole): memory holds a window and its margins
  windowedInputs: ['lfp'],
  async run({ lfp, session }, params, ctx) {
    const d = resultData(lfp, 'lfp');
    const reader = lfp.kind === 'result' && lfp.reader ? lfp.reader : resultReader(d);
    const [allRows, cols] = reader.arrays.data.shape;
    const fs = d.json.fs as number;
    // an interval: the LFP's rows within it, each span filtered on its own (no filter across a gap)
    // (an LFP computed on the same named interval covers just it: a pipeline run --each-epoch)
    const intervals =
      !session && typeof params.interval === 'string' && params.interval === d.json.interval
        ? undefined
        : await stepIntervals(params.interval, { session });
    const ranges = intervals
      ? rowRanges(
          (await reader.read('timestamps')) as Float64Array,
          intervals,
          `the LFP ${lfp.kind === 'result' ? lfp.key : ''}`,
        )
      : [[0, allRows] as [number, number]];
    const out = {
      filtered: await arrayPieces(ctx, Float32Array, [cols]),
      phase: await arrayPieces(ctx, Float64Array, [cols]),
      power: await arrayPieces(ctx, Float64Array, [cols]),
      timestamps: await arrayPieces(ctx, Float64Array, []),
    };
    const total = ranges.reduce((n, [a, b]) => n + b - a, 0);
    let done = 0;
    for (const [a, b] of ranges) {
      const span = {
        rows: b - a,
        cols,
        read: async (s: number, e: number) => (await reader.read('data', a + s, a + e)) as Float32Array,
      };
      for await (const w of bandAnalysisInWindows(span, {
        fs,
        band: belowNyquist(params.band as [number, number], fs),
        transition: params.transition as number,
        attenuation: params.attenuation as number,
        windowRows: WINDOW_ROWS,
      })) {
        for (const k of ['filtered', 'phase', 'power'] as const) await out[k].append(w[k].data);
        await out.timestamps.append(await reader.read('timestamps', a + w.start, a + w.stop));
        ctx.onProgress?.((done += w.stop - w.start) / total);
      }
    }
    const interval = params.interval != null ? { interval: params.interval } : {};
    return {
      arrays: {
        filtered: out.filtered.done(),
        phase: out.phase.done(),
        power: out.power.done(),
        timestamps: out.timestamps.done(),
      },
      json: {
        fs,
        band: params.band,
        ...interval,
        unit: d.json.unit,
        session: d.json.session,
        electrodeGroups: d.json.electrodeGroups,
        electrodeIds: d.json.electrodeIds,
      },
      summary: { samples: total, channels: cols, band: params.band, ...interval },
    };
  },
  analysisFile: analysisNwb('lfp-band', async (d, w, stored) => {
    const groups = d.json.electrodeGroups as string[];
    w.addElectrodes({
      groups: [...new Set(groups)].map((name) => ({ name })),
      group: groups,
      ids: d.json.electrodeIds as number[],
    });
    // each series in windows of the stored result, never whole
    const [rows, cols] = stored.arrays.filtered.shape;
    const timestamps = (await stored.read('timestamps')) as Float64Array;
    const window = <T extends Float32Array | Float64Array>(k: string, a: number) =>
      stored.read(k, a, Math.min(rows, a + NWB_ROWS)).then((x) => ({ data: x as T, rows: x.length / cols, cols }));
    const appendRest = async (k: string, series: SeriesAppender) => {
      for (let a = NWB_ROWS; a < rows; a += NWB_ROWS) series.append(await window(k, a));
    };
    await appendRest(
      'filtered',
      w.addElectricalSeries({
        name: 'filtered',
        container: 'FilteredEphys',
        data: await window<Float32Array>('filtered', 0),
        electrodes: groups.map((_, i) => i),
        timestamps,
        conversion: 1e-6,
        unit: 'volts',
        filtering: `FIR band-pass ${JSON.stringify(d.json.band)} Hz, zero phase`,
      }),
    );
    for (const k of ['phase', 'power'] as const) {
      await appendRest(
        k,
        w.addTimeSeries({
          name: k,
          module: 'ecephys',
          data: await window<Float64Array>(k, 0),
          unit: k === 'phase' ? 'radians' : 'microvolts^2',
          timestamps,
          description: `Hilbert ${k} of the band`,
        }),
      );
    }
  }),
};

/** LFP rows per window (a minute at 1 kHz). */
const WINDOW_ROWS = 60_000;
/** Rows written to the analysis NWB file at a time. */
const NWB_ROWS = 60_000;
