import { ParameterError } from '@spyglass-wasm/core';
import type { Command } from '../lib/command.js';
import { resolvePath } from '../lib/paths.js';
import { OUT_OPTIONS, runStepCommand, storeFor, STORE_OPTIONS } from '../lib/step-command.js';

/**
 * `spyglass replay FILE --encode run1 --decode sleep2 --out OUT.nwb`: place fields encoded on the
 * run, candidate events (ripples detected in the decode interval, or --events NAME) decoded and
 * scored as replay.
 */
export const replayCommand: Command = {
  name: 'replay',
  summary:
    'Replay: encode place fields on a run epoch, decode ripples (or given events) in a rest/sleep epoch, score each',
  usage:
    'spyglass replay FILE --encode INTERVAL --decode INTERVAL [--events INTERVAL] [--mode sorted|clusterless] [--shuffles 500] [--units FILE2.nwb] [--out OUT.nwb [--force]] [--store URL|DIR] [--json]\n  e.g. spyglass replay day.nwb --encode run1 --decode sleep2 --out replay.nwb',
  options: {
    ...STORE_OPTIONS,
    ...OUT_OPTIONS,
    encode: { type: 'string' },
    decode: { type: 'string' },
    events: { type: 'string' },
    mode: { type: 'string' },
    units: { type: 'string' },
    shuffles: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [file] = positionals;
    if (!file || positionals.length > 1)
      throw new ParameterError('FILE', 'one NWB file', positionals.join(' ') || 'nothing');
    if (!values.encode)
      throw new ParameterError(
        '--encode',
        'the interval to encode place fields on (e.g. run1; see spyglass info)',
        undefined,
      );
    if (!values.decode)
      throw new ParameterError('--decode', 'the rest or sleep interval to look for replay in (e.g. sleep2)', undefined);
    const path = resolvePath(io.cwd, file);
    const units = values.units ? resolvePath(io.cwd, values.units as string) : path;
    const store = await storeFor(io, values);
    try {
      const mode = (values.mode as string | undefined) ?? 'sorted';
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
        overrides: {
          encode: values.encode,
          decode: values.decode,
          mode,
          ...(values.events !== undefined ? { events: values.events } : {}),
          ...(values.shuffles !== undefined ? { shuffles: Number(values.shuffles) } : {}),
        },
        optionNames: {
          encode: '--encode',
          decode: '--decode',
          events: '--events',
          mode: '--mode',
          shuffles: '--shuffles',
        },
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
