import { NwbFormatError, ParameterError } from '@spyglass-wasm/core';
import type { DetectedEvent } from '@spyglass-wasm/dsp-wasm';
import type { Command } from '../lib/command.js';
import {
  INTERVAL_OPTIONS,
  intervalOption,
  OUT_OPTIONS,
  runStepCommand,
  storeFor,
  STORE_OPTIONS,
} from '../lib/step-command.js';
import { resolvePath } from '../lib/paths.js';

/** `spyglass ripples FILE --out OUT.nwb --json`: LFP (cached), then ripples gated by speed. */
export const ripplesCommand: Command = {
  name: 'ripples',
  summary: "Ripple times (Kay's or Karlsson's detector, speed-gated) of a session, cached in the store",
  usage:
    'spyglass ripples FILE [--out OUT.nwb [--force]] [--detector kay|karlsson] [--interval NAME | --start S --stop S] [--params NAME] [--no-speed] [--store URL|DIR] [--json]',
  options: {
    ...STORE_OPTIONS,
    ...OUT_OPTIONS,
    ...INTERVAL_OPTIONS,
    params: { type: 'string' },
    detector: { type: 'string' },
    'no-speed': { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const [file] = positionals;
    if (!file || positionals.length > 1)
      throw new ParameterError('FILE', 'one NWB file', positionals.join(' ') || 'nothing');
    const path = resolvePath(io.cwd, file);
    const store = await storeFor(io, values);
    try {
      const interval = intervalOption(values);
      const lfp = await runStepCommand(
        io,
        'lfp',
        { raw: { file: path } },
        {
          openStore: store,
          silent: true,
          overrides: interval ? { interval } : undefined,
          optionNames: { interval: '--interval' },
        },
      );
      // the speed gate takes the position step's speed (smoothed as Spyglass does), recorded too
      const position = values['no-speed']
        ? undefined
        : await runStepCommand(io, 'position', { session: { file: path } }, { openStore: store, silent: true }).catch(
            (err) => {
              if (err instanceof NwbFormatError && err.path?.includes('Position')) {
                throw new NwbFormatError(
                  err.file ?? path,
                  err.path,
                  `${err.expected} to gate ripples by speed (--no-speed detects without the gate)`,
                );
              }
              throw err;
            },
          );
      const detector = values.detector as string | undefined;
      const outcome = await runStepCommand(
        io,
        'ripples',
        { lfp: { result: lfp.key }, ...(position ? { position: { result: position.key } } : {}) },
        {
          openStore: store,
          params: (values.params as string) ?? detector ?? 'default',
          out: values.out as string,
          force: values.force as boolean,
          sources: [path],
          json: values.json as boolean,
          extra: (_o, data) => ({
            lfp: { result: lfp.key, cached: lfp.cached },
            position: position && { result: position.key, cached: position.cached },
            events: (data.json.events as DetectedEvent[]).map((e) => ({
              start: e.start,
              peak: e.peak,
              end: e.end,
              duration: e.duration,
              maxZscore: e.maxZscore,
              meanZscore: e.meanZscore,
              peakFrequency: e.peakFrequency,
              speed: e.speedAtPeak,
            })),
          }),
        },
      );
      if (!values.json) io.stdout.write(`${outcome.result.summary.events} ripples\n`);
    } finally {
      await store.close();
    }
    return 0;
  },
};
