import { ParameterError } from '@spyglass-wasm/core';
import { LfpFilter } from '@spyglass-wasm/dsp-wasm';
import { arrayPieces, type Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { withSession } from '../session/session.js';
import { interval, name, number, stepParams } from './params.js';
import { DSP_CODE } from './code.js';

/**
 * LFP as Spyglass's LFPV1: the session's raw ElectricalSeries (the one named by `series`, else
 * the session adapter's raw series; only the rows of `interval` — an epoch tag, a TimeIntervals
 * table or [[start, stop], …] — when given) low-passed 0–400 Hz (FIR) and decimated to 1 kHz, streamed in chunks:
 * read, filtered and written to the store in pieces, so memory does not grow with the session.
 */
export const lfpStep: Step = {
  name: 'lfp',
  description: 'LFP: FIR low-pass (400 Hz pass, 425 Hz stop) and decimation to 1 kHz',
  code: DSP_CODE,
  inputs: ['raw'],
  ...stepParams('lfp', {
    targetFs: number({ min: 1, max: 100_000 }, 1000),
    passband: number({ min: 0, max: 100_000, exclusiveMin: true }, 400),
    stopband: number({ min: 0, max: 100_000, exclusiveMin: true }, 425),
    attenuation: number({ min: 1, max: 200 }, 120),
    interval: interval(),
    series: name('a continuous ElectricalSeries'),
  }),
  async run({ raw }, params, ctx) {
    return withSession(raw, 'raw', async (session) => {
      const info = session.rawSeries(params.series as string | undefined);
      const series = session.nwb.series(info.path);
      const electrodeGroups = session.channelGroups(info); // a bad electrodes region is refused before filtering
      const fs = info.timing.rate;
      const timestamps = info.timing.kind === 'timestamps' ? series.timestamps() : undefined;
      const timeOf = session.clock(info, timestamps);
      // the rows of each requested interval (default: the whole series), each filtered on its own
      const ranges =
        params.interval == null
          ? [[0, info.shape[0]] as const]
          : session
              .interval(params.interval as string)
              .map(([a, b]) => session.rowsWithin(info, a, b, timeOf))
              .filter(([a, b]) => b > a);
      if (ranges.length === 0)
        throw new ParameterError(
          'interval',
          `an interval overlapping ${info.path} (${timeOf(0)}–${timeOf(info.shape[0] - 1)} s)`,
          params.interval,
        );
      const total = ranges.reduce((n, [a, b]) => n + b - a, 0);
      const cols = info.shape[1];
      const data = await arrayPieces(ctx, Float32Array, [cols]);
      const t = await arrayPieces(ctx, Float64Array, []);
      let done = 0,
        outFs = 0;
      for (const [a, b] of ranges) {
        const filter = new LfpFilter<Float32Array>(info.shape[1], {
          fs,
          timestamps: timestamps?.subarray(a, b),
          startTime: timestamps ? undefined : timeOf(a),
          targetFs: params.targetFs as number,
          passband: params.passband as number,
          stopband: params.stopband as number,
          attenuation: params.attenuation as number,
        });
        outFs = filter.design.outFs;
        for (let start = a; start < b; start += CHUNK_ROWS) {
          const chunk = series.read({ rows: [start, Math.min(b, start + CHUNK_ROWS)], scale: 'microvolts' });
          const r = filter.process(chunk);
          await data.append(r.data.data);
          await t.append(r.timestamps);
          ctx.onProgress?.((done += chunk.rows) / total);
        }
        const last = filter.flush();
        await data.append(last.data.data);
        await t.append(last.timestamps);
      }
      const samples = t.rows;
      return {
        arrays: { data: data.done(), timestamps: t.done() },
        json: {
          fs: outFs,
          unit: 'microvolts',
          source: info.path,
          ...(params.interval != null ? { interval: params.interval } : {}),
          electrodeRows: info.electrodeRows,
          electrodeIds: info.electrodeIds,
          electrodeGroups,
          session: session.info,
        },
        summary: {
          samples,
          channels: cols,
          fs: outFs,
          source: info.path,
          ...(params.interval != null ? { interval: params.interval } : {}),
        },
      };
    });
  },
  analysisFile: analysisNwb('lfp', async (d, w, stored) => {
    const groups = d.json.electrodeGroups as string[];
    w.addElectrodes({
      groups: [...new Set(groups)].map((name) => ({ name })),
      group: groups,
      ids: d.json.electrodeIds as number[],
    });
    // the series in windows of the stored result, never whole
    const [rows, cols] = stored.arrays.data.shape;
    const window = (a: number) =>
      stored
        .read('data', a, Math.min(rows, a + NWB_ROWS))
        .then((x) => ({ data: x as Float32Array, rows: x.length / cols, cols }));
    const series = w.addElectricalSeries({
      name: 'lfp',
      data: await window(0),
      electrodes: groups.map((_, i) => i),
      timestamps: (await stored.read('timestamps')) as Float64Array,
      conversion: 1e-6,
      unit: 'volts',
      description: `LFP of ${d.json.source}`,
      filtering: 'FIR low-pass 400 Hz (425 Hz stop, 120 dB), zero phase, decimated to 1 kHz',
    });
    for (let a = NWB_ROWS; a < rows; a += NWB_ROWS) series.append(await window(a));
  }),
};

const CHUNK_ROWS = 60_000;
/** Rows of LFP written to the analysis NWB file at a time. */
const NWB_ROWS = 60_000;
