import { ParameterError } from '@spyglass-wasm/core';
import type { Command } from '../lib/command.js';
import { resolvePath } from '../lib/paths.js';
import { INTERVAL_OPTIONS, intervalOption, OUT_OPTIONS, runStepCommand, STORE_OPTIONS } from '../lib/step-command.js';

/** `spyglass lfp FILE --out OUT.nwb`: 0–400 Hz LFP at 1 kHz, recorded in the store. */
export const lfpCommand: Command = {
  name: 'lfp',
  summary: 'LFP (FIR 0-400 Hz, decimated to 1 kHz) of a session, cached in the store',
  usage:
    'spyglass lfp FILE [--out OUT.nwb [--force]] [--interval NAME | --start S --stop S] [--params NAME] [--series PATH] [--store URL|DIR] [--json]',
  options: {
    ...STORE_OPTIONS,
    ...OUT_OPTIONS,
    ...INTERVAL_OPTIONS,
    params: { type: 'string' },
    series: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [file] = positionals;
    if (!file || positionals.length > 1)
      throw new ParameterError('FILE', 'one NWB file', positionals.join(' ') || 'nothing');
    await runStepCommand(
      io,
      'lfp',
      { raw: { file: resolvePath(io.cwd, file) } },
      {
        store: values.store as string,
        params: values.params as string,
        out: values.out as string,
        force: values.force as boolean,
        json: values.json as boolean,
        overrides: {
          ...(values.series ? { series: values.series } : {}),
          ...(intervalOption(values) ? { interval: intervalOption(values) } : {}),
        },
        optionNames: { interval: '--interval', series: '--series' },
      },
    );
    return 0;
  },
};
