import { ParameterError } from '@spyglass-wasm/core';
import { sortNwb, writeSortingNwb } from '@spyglass-wasm/spike-sort';
import type { Command } from '../lib/command.js';
import { printJson, progress } from '../lib/output.js';

/** `spyglass sort FILE --out OUT.nwb [--group NAME] [--json]`: the default sorting of every electrode group. */
export const sortCommand: Command = {
  name: 'sort',
  summary: 'Spike-sort each electrode group of a session (600-6000 Hz, 4 MAD, isosplit-style) into an analysis NWB file',
  usage: 'spyglass sort FILE --out OUT.nwb [--group NAME] [--threshold MAD] [--json]',
  options: { out: { type: 'string', short: 'o' }, group: { type: 'string' }, threshold: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new ParameterError('FILE', 'one NWB file', positionals.join(' ') || 'nothing');
    if (!values.out) throw new ParameterError('--out', 'an output path for the analysis NWB file', undefined);
    const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
    if (threshold !== undefined && !(threshold > 0)) throw new ParameterError('--threshold', 'a positive number of MAD units', values.threshold);
    const abs = (p: string) => (p.startsWith('/') ? p : `${io.cwd}/${p}`);
    const tick = progress(io, 'sort');
    const sorting = await sortNwb(abs(file), { group: values.group as string | undefined, threshold, onProgress: (f, g) => tick(f, g) });
    const out = (await writeSortingNwb(abs(values.out as string), sorting, abs(file), { step: 'sort', source: abs(file), series: sorting.series, group: values.group ?? null, threshold: threshold ?? 4 })) as string;
    const summary = {
      out,
      series: sorting.series,
      groups: sorting.groups.map((g) => ({ name: g.name, channels: g.channels.length, detections: g.sorting.peaks.length, units: g.sorting.units.length })),
      units: sorting.units.map((u, i) => ({ id: i, group: u.group, spikes: u.spikeTimes.length, ...u.metrics })),
    };
    if (values.json) printJson(io, summary);
    else {
      io.stdout.write(`${out}\n`);
      for (const g of summary.groups) io.stdout.write(`  ${g.name}: ${g.units} units from ${g.detections} detections on ${g.channels} channels\n`);
    }
    return 0;
  },
};
