import { LfpFilter } from '@spyglass-wasm/dsp-wasm';
import type { Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { withSession } from '../session/session.js';
import { DSP_CODE } from './code.js';

/**
 * LFP as Spyglass's LFPV1: the session's raw ElectricalSeries (the one named by `series`, else
 * the session adapter's raw series) low-passed 0–400 Hz (FIR) and decimated to 1 kHz, streamed in chunks.
 */
export const lfpStep: Step = {
  name: 'lfp',
  description: 'LFP: FIR low-pass (400 Hz pass, 425 Hz stop) and decimation to 1 kHz',
  code: DSP_CODE,
  inputs: ['raw'],
  paramSets: {
    default: { targetFs: 1000, passband: 400, stopband: 425, attenuation: 120 },
  },
  async run({ raw }, params, ctx) {
    return withSession(raw, 'raw', async (session) => {
      const info = session.rawSeries(params.series as string | undefined);
      const series = session.nwb.series(info.path);
      const fs = info.timing.rate;
      const timestamps = info.timing.kind === 'timestamps' ? series.timestamps() : undefined;
      const filter = new LfpFilter<Float32Array>(info.shape[1], {
        fs, timestamps, startTime: info.timing.kind === 'rate' ? info.timing.startingTime : undefined,
        targetFs: params.targetFs as number, passband: params.passband as number, stopband: params.stopband as number, attenuation: params.attenuation as number,
      });
      const parts: { data: Float32Array; t: Float64Array }[] = [];
      for await (const chunk of series.chunks({ scale: 'microvolts', rowsPerChunk: 60_000 })) {
        const r = filter.process(chunk.data);
        parts.push({ data: r.data.data, t: r.timestamps });
        ctx.onProgress?.((chunk.start + chunk.data.rows) / info.shape[0]);
      }
      const last = filter.flush();
      parts.push({ data: last.data.data, t: last.timestamps });
      const cols = info.shape[1];
      const data = concat(parts.map((p) => p.data), Float32Array);
      const t = concat(parts.map((p) => p.t), Float64Array);
      return {
        arrays: { data: { data, shape: [t.length, cols] }, timestamps: { data: t, shape: [t.length] } },
        json: {
          fs: filter.design.outFs, unit: 'microvolts', source: info.path, electrodeRows: info.electrodeRows, electrodeIds: info.electrodeIds,
          electrodeGroups: session.channelGroups(info),
          session: session.info,
        },
        summary: { samples: t.length, channels: cols, fs: filter.design.outFs, source: info.path },
      };
    });
  },
  analysisFile: analysisNwb('lfp', (d, w) => {
    const groups = d.json.electrodeGroups as string[];
    w.addElectrodes({ groups: [...new Set(groups)].map((name) => ({ name })), group: groups, ids: d.json.electrodeIds as number[] });
    const [rows, cols] = d.arrays.data.shape;
    w.addElectricalSeries({
      name: 'lfp', data: { data: d.arrays.data.data as Float32Array, rows, cols }, electrodes: groups.map((_, i) => i),
      timestamps: d.arrays.timestamps.data as Float64Array, conversion: 1e-6, unit: 'volts',
      description: `LFP of ${d.json.source}`, filtering: 'FIR low-pass 400 Hz (425 Hz stop, 120 dB), zero phase, decimated to 1 kHz',
    });
  }),
};

function concat<T extends Float32Array | Float64Array>(parts: T[], Type: new (n: number) => T): T {
  const out = new Type(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}
