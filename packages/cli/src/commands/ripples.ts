import type { DetectedEvent } from '@spyglass-wasm/dsp-wasm';
import type { Command } from '../lib/command.js';
import { optionNames, UsageError } from '../lib/options.js';
import {
  checkOutBeforeUpstream,
  checkStepParams,
  fileArgument,
  intervalOption,
  intervalOptions,
  outOptions,
  runStepCommand,
  speedGatePosition,
  storeFor,
  STORE_OPTIONS,
} from '../lib/step-command.js';
import { resolvePath } from '../lib/paths.js';

/** `spyglass ripples FILE --out OUT.nwb --json`: LFP (cached), then ripples gated by speed. */
export const ripplesCommand: Command = {
  name: 'ripples',
  summary: "Ripple times (Kay's or Karlsson's detector, speed-gated) of a session, cached in the store",
  args: 'FILE',
  step: 'ripples',
  options: {
    ...STORE_OPTIONS,
    ...outOptions(),
    ...intervalOptions('lfp'),
    params: {
      type: 'string',
      value: 'NAME',
      help: 'a named parameter set of the ripples step (spyglass params ripples)',
      default: 'default',
    },
    detector: {
      type: 'string',
      value: 'kay|karlsson',
      help: "Kay's or Karlsson's detector (the parameter set of that name)",
      param: { step: 'ripples', name: 'detector', override: false },
    },
    'no-speed': { type: 'boolean', help: 'detect without the speed gate (for a session without position)' },
  },
  examples: [
    'spyglass ripples session.nwb --out ripples.nwb --json',
    'spyglass ripples day.nwb --interval sleep2 --detector karlsson',
  ],
  async run({ values, positionals }, io) {
    const file = fileArgument(positionals);
    if (values.params !== undefined && values.detector !== undefined)
      throw new UsageError('--detector', 'either --detector or --params, not both', values.detector);
    const path = resolvePath(io.cwd, file);
    const interval = intervalOption(values);
    const detector = values.detector as string | undefined;
    const setOptions = {
      params: (values.params as string) ?? detector ?? 'default',
      setOption: detector !== undefined ? '--detector' : '--params',
    };
    checkStepParams('ripples', setOptions); // before the upstream steps run
    await checkOutBeforeUpstream(io, values, [path]);
    const store = await storeFor(io, values);
    try {
      const lfp = await runStepCommand(
        io,
        'lfp',
        { raw: { file: path } },
        {
          openStore: store,
          silent: true,
          overrides: interval ? { interval } : undefined,
          optionNames: optionNames(this.options, 'lfp'),
        },
      );
      // the speed gate takes the position step's speed (smoothed as Spyglass does), recorded too
      const position = await speedGatePosition(io, store, values, path, 'ripples');
      const outcome = await runStepCommand(
        io,
        'ripples',
        { lfp: { result: lfp.key }, ...(position ? { position: { result: position.key } } : {}) },
        {
          openStore: store,
          ...setOptions,
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
