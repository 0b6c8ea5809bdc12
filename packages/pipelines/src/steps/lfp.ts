import { ParameterError, concatArrays } from '@spyglass-wasm/core';
import { LfpFilter } from '@spyglass-wasm/dsp-wasm';
import type { Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { withSession } from '../session/session.js';
import { interval, name, number, stepParams } from './params.js';
import { DSP_CODE } from './code.js';

/**
 * LFP as Spyglass's LFPV1: the session's raw ElectricalSeries (the one named by `series`, else
 * the session adapter's raw series; only the rows of `interval` — an epoch tag, a TimeIntervals
 * table or [[start, stop], …] — when given) low-passed 0–400 Hz (FIR) and decimated to 1 kHz, streamed in chunks.
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
      const parts: { data: Float32Array; t: Float64Array }[] = [];
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
          parts.push({ data: r.data.data, t: r.timestamps });
          ctx.onProgress?.((done += chunk.rows) / total);
        }
        const last = filter.flush();
        parts.push({ data: last.data.data, t: last.timestamps });
      }
      const cols = info.shape[1];
      const data = concatArrays(
        parts.map((p) => p.data),
        Float32Array,
      );
      const t = concatArrays(
        parts.map((p) => p.t),
        Float64Array,
      );
      return {
        arrays: { data: { data, shape: [t.length, cols] }, timestamps: { data: t, shape: [t.length] } },
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
          samples: t.length,
          channels: cols,
          fs: outFs,
          source: info.path,
          ...(params.interval != null ? { interval: params.interval } : {}),
        },
      };
    });
  },
  analysisFile: analysisNwb('lfp', (d, w) => {
    const groups = d.json.electrodeGroups as string[];
    w.addElectrodes({
      groups: [...new Set(groups)].map((name) => ({ name })),
      group: groups,
      ids: d.json.electrodeIds as number[],
    });
    const [rows, cols] = d.arrays.data.shape;
    w.addElectricalSeries({
      name: 'lfp',
      data: { data: d.arrays.data.data as Float32Array, rows, cols },
      electrodes: groups.map((_, i) => i),
      timestamps: d.arrays.timestamps.data as Float64Array,
      conversion: 1e-6,
      unit: 'volts',
      description: `LFP of ${d.json.source}`,
      filtering: 'FIR low-pass 400 Hz (425 Hz stop, 120 dB), zero phase, decimated to 1 kHz',
    });
  }),
};

const CHUNK_ROWS = 60_000;
