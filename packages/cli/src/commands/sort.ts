import { ParameterError } from '@spyglass-wasm/core';
import type { Command } from '../lib/command.js';
import { resolvePath } from '../lib/paths.js';
import { INTERVAL_OPTIONS, intervalOption, OUT_OPTIONS, runStepCommand, STORE_OPTIONS } from '../lib/step-command.js';

/**
 * `spyglass sort FILE --out OUT.nwb [--group NAME] [--json]`: the default sorting of every electrode
 * group, run as the provenance `sort` step through the store (a stored result with the same key is reused).
 */
export const sortCommand: Command = {
  name: 'sort',
  summary:
    'Spike-sort each electrode group of a session (600-6000 Hz, 4 MAD, isosplit-style) into an analysis NWB file, cached in the store',
  usage:
    'spyglass sort FILE --out OUT.nwb [--force] [--interval NAME | --start S --stop S] [--group NAME] [--threshold MAD] [--store URL|DIR] [--json]',
  options: {
    ...STORE_OPTIONS,
    ...OUT_OPTIONS,
    ...INTERVAL_OPTIONS,
    group: { type: 'string' },
    threshold: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [file] = positionals;
    if (!file || positionals.length > 1)
      throw new ParameterError('FILE', 'one NWB file', positionals.join(' ') || 'nothing');
    if (!values.out) throw new ParameterError('--out', 'an output path for the analysis NWB file', undefined);
    const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
    if (threshold !== undefined && !(threshold > 0))
      throw new ParameterError('--threshold', 'a positive number of MAD units', values.threshold);
    if (values.group === '') throw new ParameterError('--group', 'an electrode group name', '');
    const abs = (p: string) => resolvePath(io.cwd, p);
    const out = abs(values.out as string);
    const overrides: Record<string, unknown> = {};
    if (values.group !== undefined) overrides.group = values.group;
    if (threshold !== undefined) overrides.threshold = threshold;
    const interval = intervalOption(values);
    if (interval !== undefined) overrides.interval = interval;
    const outcome = await runStepCommand(
      io,
      'sort',
      { raw: { file: abs(file) } },
      {
        store: values.store as string | undefined,
        overrides,
        out,
        force: values.force as boolean,
        optionNames: { group: '--group', threshold: '--threshold', interval: '--interval' },
        json: values.json as boolean,
        silent: !values.json,
        extra: (_o, d) => {
          const ends = d.arrays.spikeTimesIndex.data;
          const units = d.json.units as { group: string; metrics: Record<string, number> }[];
          return {
            out,
            series: d.json.series,
            groups: (d.json.groups as { name: string; channels: number[]; detections: number; units: number }[]).map(
              (g) => ({ ...g, channels: g.channels.length }),
            ),
            units: units.map((u, i) => ({
              id: i,
              group: u.group,
              label: (u as { label?: string }).label,
              mergeWith: (u as { mergeWith?: number[] }).mergeWith,
              spikes: ends[i] - (i ? ends[i - 1] : 0),
              ...u.metrics,
            })),
          };
        },
      },
    );
    if (!values.json) {
      io.stdout.write(`${out} (${outcome.cached ? 'cached' : 'computed'} ${outcome.key})\n`);
      const s = outcome.result.summary as Record<string, number>;
      io.stdout.write(
        `  ${s.units} units: ${s.accept} accept, ${s.mua} mua, ${s.noise} noise (metric curation${s.collisions ? `, ${s.collisions} of them collisions of two units` : ''}); ${s.mergeCandidates ?? 0} pair${s.mergeCandidates === 1 ? '' : 's'} to consider merging; ${s.spikes} spikes\n`,
      );
    }
    return 0;
  },
};
