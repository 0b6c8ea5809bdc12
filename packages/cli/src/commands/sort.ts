import type { Command } from '../lib/command.js';
import { optionNames, stepOverrides } from '../lib/options.js';
import { resolvePath } from '../lib/paths.js';
import {
  fileArgument,
  intervalOption,
  intervalOptions,
  outOptions,
  requiredOption,
  runStepCommand,
  STORE_OPTIONS,
} from '../lib/step-command.js';

/**
 * `spyglass sort FILE --out OUT.nwb [--group NAME] [--json]`: the default sorting of every electrode
 * group, run as the provenance `sort` step through the store (a stored result with the same key is reused).
 */
export const sortCommand: Command = {
  name: 'sort',
  summary:
    'Spike-sort each electrode group of a session (600-6000 Hz, 4 MAD, isosplit-style) into an analysis NWB file, cached in the store',
  args: 'FILE',
  step: 'sort',
  options: {
    ...STORE_OPTIONS,
    ...outOptions(true),
    ...intervalOptions('sort'),
    group: {
      type: 'string',
      value: 'NAME',
      help: 'sort only this electrode group',
      param: { step: 'sort', name: 'group' },
      default: 'every group',
    },
    threshold: {
      type: 'string',
      value: 'MAD',
      help: 'detection threshold in MAD units of the filtered signal',
      param: { step: 'sort', name: 'threshold', number: true },
    },
    'learn-spikes': {
      type: 'string',
      value: 'N',
      help: 'most detections per group the unit templates are learned from (1-s blocks spread over the recording)',
      param: { step: 'sort', name: 'learnSpikes', number: true },
      default: '6000',
    },
  },
  examples: [
    'spyglass sort session.nwb --out sorted.nwb',
    'spyglass sort session.nwb --group tetrode0 --threshold 5 --out t0.nwb --json',
  ],
  async run({ values, positionals }, io) {
    const file = fileArgument(positionals);
    requiredOption(values, 'out', 'an output path for the analysis NWB file');
    const interval = intervalOption(values);
    const overrides = { ...stepOverrides(this.options, values, 'sort'), ...(interval ? { interval } : {}) };
    const abs = (p: string) => resolvePath(io.cwd, p);
    const out = abs(values.out as string);
    const outcome = await runStepCommand(
      io,
      'sort',
      { raw: { file: abs(file) } },
      {
        store: values.store as string | undefined,
        overrides,
        out,
        force: values.force as boolean,
        optionNames: optionNames(this.options, 'sort'),
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
        `  ${s.units} units: ${s.accept} accept, ${s.mua} mua, ${s.noise} noise (metric curation${s.collisions ? `, ${s.collisions} of them collisions of two units` : ''}); ${s.mergeCandidates ?? 0} pair${s.mergeCandidates === 1 ? '' : 's'} to consider merging${s.merged ? ` (${s.merged} merged before output, one neuron split in several)` : ''}; ${s.spikes} spikes\n`,
      );
    }
    return 0;
  },
};
