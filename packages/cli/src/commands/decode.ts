import type { Command } from '../lib/command.js';
import { optionNames, stepOverrides } from '../lib/options.js';
import { resolvePath } from '../lib/paths.js';
import { fileArgument, outOptions, requiredOption, runStepCommand, STORE_OPTIONS } from '../lib/step-command.js';

/**
 * `spyglass decode FILE --out OUT.nwb`: encode place fields on the first part of the session, decode
 * the rest (state space, 2 ms bins), write `decoded_position` + posterior to an analysis NWB file.
 * Runs the provenance `decode` step through the store: a stored result with the same key is reused.
 */
export const decodeCommand: Command = {
  name: 'decode',
  summary:
    'Decode position from spikes (encode on the first part of the session, decode the rest), cached in the store',
  args: 'FILE',
  step: 'decode',
  options: {
    ...STORE_OPTIONS,
    ...outOptions(true),
    mode: {
      type: 'string',
      value: 'sorted|clusterless',
      help: 'decode from sorted units (the Units table) or from spike marks of the raw recording',
      param: { step: 'decode', name: 'mode', override: false },
    },
    'train-fraction': {
      type: 'string',
      value: 'F',
      help: 'encode on the first F of the session, decode the rest',
      param: { step: 'decode', name: 'trainFraction', number: true },
    },
    encode: {
      type: 'string',
      value: 'INTERVAL',
      help: 'encode place fields on this interval (name, see spyglass info)',
      param: { step: 'decode', name: 'encode' },
      default: 'by --train-fraction',
    },
    decode: {
      type: 'string',
      value: 'INTERVAL',
      help: 'decode this interval',
      param: { step: 'decode', name: 'decode' },
      default: 'the rest of the session (with --encode: all of it)',
    },
    units: {
      type: 'string',
      value: 'FILE2.nwb',
      help: 'read the units from this file (e.g. a sort output)',
      default: 'FILE',
    },
    'bin-size': {
      type: 'string',
      value: 'S',
      help: 'decoding time bin (s)',
      param: { step: 'decode', name: 'binSize', number: true },
    },
    'state-space': {
      type: 'string',
      value: 'MODEL',
      help: 'continuous, or continuous-fragmented (a second state that jumps anywhere)',
      param: { step: 'decode', name: 'stateSpace' },
    },
  },
  examples: [
    'spyglass decode session.nwb --out decoded.nwb --train-fraction 0.8 --json',
    'spyglass decode day.nwb --encode run1 --decode sleep2 --mode clusterless --out decoded.nwb',
  ],
  async run({ values, positionals }, io) {
    const file = fileArgument(positionals);
    // values are checked once, by the decode step's schema; errors name the option (optionNames)
    const mode = (values.mode as string | undefined) ?? 'sorted';
    const overrides: Record<string, unknown> = { mode, ...stepOverrides(this.options, values, 'decode') };
    const out = requiredOption(values, 'out', 'an output NWB path');
    const path = resolvePath(io.cwd, file);
    const units = values.units ? resolvePath(io.cwd, values.units as string) : path;
    const outcome = await runStepCommand(
      io,
      'decode',
      { units: { file: units }, session: { file: path } },
      {
        store: values.store as string | undefined,
        params: mode === 'clusterless' ? 'clusterless' : undefined,
        overrides,
        out,
        force: values.force as boolean,
        json: values.json as boolean,
        silent: !values.json,
        optionNames: optionNames(this.options, 'decode'),
        extra: (o, d) => ({
          file: path,
          out: resolvePath(io.cwd, out),
          mode,
          stateSpace: o.result.activity.params.stateSpace,
          binSize: o.result.activity.params.binSize,
          train: d.json.train,
          decode: d.json.decode,
          nTime: d.arrays.time.shape[0],
          positionBins: d.arrays.binCenters.shape[0],
          dims: d.arrays.binCenters.shape[1],
          units: d.json.units,
          runningSpeedCmPerS: 4,
          error: d.json.error,
        }),
      },
    );
    if (!values.json) {
      const s = outcome.result.summary as Record<string, number>;
      io.stdout.write(
        `decoded ${s.timeBins} bins (${outcome.cached ? 'cached' : 'computed'} ${outcome.key}): median error while running ${s.medianErrorRunningCm.toFixed(2)} cm (MAP), mean ${s.meanErrorRunningCm.toFixed(2)} cm -> ${resolvePath(io.cwd, out)}\n`,
      );
    }
    return 0;
  },
};
