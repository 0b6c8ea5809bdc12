import type { Command } from '../lib/command.js';
import { optionNames, stepOverrides } from '../lib/options.js';
import { resolvePath } from '../lib/paths.js';
import {
  checkOutBeforeUpstream,
  checkStepParams,
  fileArgument,
  outOptions,
  requiredOption,
  runStepCommand,
  storeFor,
  STORE_OPTIONS,
} from '../lib/step-command.js';

/**
 * `spyglass replay FILE --encode run1 --decode sleep2 --out OUT.nwb`: place fields encoded on the
 * run, candidate events (ripples detected in the decode interval, or --events NAME) decoded and
 * scored as replay.
 */
export const replayCommand: Command = {
  name: 'replay',
  summary:
    'Replay: encode place fields on a run epoch, decode ripples (or given events) in a rest/sleep epoch, score each',
  args: 'FILE',
  step: 'replay',
  options: {
    ...STORE_OPTIONS,
    ...outOptions(),
    encode: {
      type: 'string',
      value: 'INTERVAL',
      help: 'encode place fields on this (run) interval, e.g. run1',
      param: { step: 'replay', name: 'encode' },
      required: true,
    },
    decode: {
      type: 'string',
      value: 'INTERVAL',
      help: 'look for replay in this (rest or sleep) interval, e.g. sleep2',
      param: { step: 'replay', name: 'decode' },
      required: true,
    },
    events: {
      type: 'string',
      value: 'INTERVAL',
      help: 'candidate events: this interval table instead of detected ripples',
      param: { step: 'replay', name: 'events' },
      default: 'ripples detected in --decode (LFP, speed-gated)',
    },
    mode: {
      type: 'string',
      value: 'sorted|clusterless',
      help: 'decode from sorted units or from spike marks of the raw recording',
      param: { step: 'replay', name: 'mode' },
    },
    shuffles: {
      type: 'string',
      value: 'N',
      help: 'shuffles for the p-value of each replay score',
      param: { step: 'replay', name: 'shuffles', number: true },
    },
    units: {
      type: 'string',
      value: 'FILE2.nwb',
      help: 'read the units from this file (e.g. a sort output)',
      default: 'FILE',
    },
  },
  examples: [
    'spyglass replay day.nwb --encode run1 --decode sleep2 --out replay.nwb',
    'spyglass replay day.nwb --encode run1 --decode sleep2 --mode clusterless --shuffles 200 --json',
  ],
  async run({ values, positionals }, io) {
    const file = fileArgument(positionals);
    requiredOption(values, 'encode', 'the interval to encode place fields on (e.g. run1; see spyglass info)');
    requiredOption(values, 'decode', 'the rest or sleep interval to look for replay in (e.g. sleep2)');
    const overrides = stepOverrides(this.options, values, 'replay');
    const names = optionNames(this.options, 'replay');
    checkStepParams('replay', { overrides, optionNames: names }); // before the upstream steps run
    const path = resolvePath(io.cwd, file);
    const units = values.units ? resolvePath(io.cwd, values.units as string) : path;
    await checkOutBeforeUpstream(io, values, [path, units]);
    const store = await storeFor(io, values);
    try {
      const inputs: Record<string, { file: string } | { result: string }> = {
        units: { file: units },
        session: { file: path },
      };
      if (values.events === undefined) {
        // candidate events: ripples of the decode interval, gated by the position step's speed
        const lfp = await runStepCommand(
          io,
          'lfp',
          { raw: { file: path } },
          {
            openStore: store,
            silent: true,
            overrides: { interval: values.decode },
            optionNames: { interval: '--decode' },
          },
        );
        const position = await runStepCommand(
          io,
          'position',
          { session: { file: path } },
          { openStore: store, silent: true },
        );
        const ripples = await runStepCommand(
          io,
          'ripples',
          { lfp: { result: lfp.key }, position: { result: position.key } },
          { openStore: store, silent: true },
        );
        inputs.ripples = { result: ripples.key };
      }
      const outcome = await runStepCommand(io, 'replay', inputs, {
        openStore: store,
        out: values.out as string | undefined,
        force: values.force as boolean,
        json: values.json as boolean,
        silent: !values.json,
        overrides,
        optionNames: names,
        extra: (_o, d) => ({ events: d.json.events }),
      });
      if (!values.json) {
        const s = outcome.result.summary as Record<string, number>;
        io.stdout.write(
          `replay (${outcome.cached ? 'cached' : 'computed'} ${outcome.key}): ${s.events} candidate events, ${s.significant} significant (${s.forward} forward, ${s.reverse} reverse)${values.out ? ` -> ${resolvePath(io.cwd, values.out as string)}` : ''}\n`,
        );
      }
    } finally {
      await store.close();
    }
    return 0;
  },
};
