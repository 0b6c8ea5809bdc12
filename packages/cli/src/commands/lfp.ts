import type { Command } from '../lib/command.js';
import { optionNames, stepOverrides } from '../lib/options.js';
import { resolvePath } from '../lib/paths.js';
import {
  fileArgument,
  intervalOption,
  intervalOptions,
  outOptions,
  runStepCommand,
  STORE_OPTIONS,
} from '../lib/step-command.js';

/** `spyglass lfp FILE --out OUT.nwb`: 0–400 Hz LFP at 1 kHz, recorded in the store. */
export const lfpCommand: Command = {
  name: 'lfp',
  summary: 'LFP (FIR 0-400 Hz, decimated to 1 kHz) of a session, cached in the store',
  args: 'FILE',
  step: 'lfp',
  options: {
    ...STORE_OPTIONS,
    ...outOptions(),
    ...intervalOptions('lfp'),
    params: { type: 'string', value: 'NAME', help: 'a named parameter set of the lfp step', default: 'default' },
    series: {
      type: 'string',
      value: 'PATH',
      help: 'the raw ElectricalSeries (HDF5 path)',
      param: { step: 'lfp', name: 'series' },
      default: 'the highest-rate series in /acquisition',
    },
  },
  examples: ['spyglass lfp session.nwb --out lfp.nwb', 'spyglass lfp day.nwb --interval sleep2 --json'],
  async run({ values, positionals }, io) {
    const file = fileArgument(positionals);
    const interval = intervalOption(values);
    await runStepCommand(
      io,
      'lfp',
      { raw: { file: resolvePath(io.cwd, file) } },
      {
        store: values.store as string,
        params: values.params as string,
        setOption: '--params',
        out: values.out as string,
        force: values.force as boolean,
        json: values.json as boolean,
        overrides: { ...stepOverrides(this.options, values, 'lfp'), ...(interval ? { interval } : {}) },
        optionNames: optionNames(this.options, 'lfp'),
      },
    );
    return 0;
  },
};
