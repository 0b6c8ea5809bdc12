import { NwbFormatError } from '@spyglass-wasm/core';
import type { Command } from '../lib/command.js';
import { optionNames, stepOverrides, UsageError } from '../lib/options.js';
import { resolvePath } from '../lib/paths.js';
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

interface MuaEvent {
  start: number;
  peak: number;
  end: number;
  duration: number;
  maxZscore: number;
  meanZscore: number;
  speedAtPeak: number;
}

/**
 * `spyglass mua-events FILE --out OUT.nwb --json`: the population's spikes (the file's Units, or
 * threshold crossings through the marks step), the position step, then multiunit high-synchrony
 * events gated by the position step's speed; each step recorded in the store.
 */
export const muaEventsCommand: Command = {
  name: 'mua-events',
  summary: 'Multiunit high-synchrony events (population rate z-score, speed-gated) of a session, cached in the store',
  args: 'FILE',
  step: 'mua-events',
  options: {
    ...STORE_OPTIONS,
    ...outOptions(),
    params: {
      type: 'string',
      value: 'NAME',
      help: 'a named parameter set of the mua-events step (spyglass params mua-events)',
      default: 'default',
    },
    spikes: {
      type: 'string',
      value: 'units|crossings',
      help: "count the file's Units table, or threshold crossings of its raw recording (the marks step, recorded)",
      default: 'units',
    },
    'zscore-threshold': {
      type: 'string',
      value: 'Z',
      help: "an event's population rate z-score reaches Z for minimumDuration",
      param: { step: 'mua-events', name: 'zscoreThreshold', number: true },
    },
    'no-speed': { type: 'boolean', help: 'detect without the speed gate (for a session without position)' },
    ...intervalOptions('mua-events'),
  },
  examples: [
    'spyglass mua-events session.nwb --out mua.nwb --json',
    'spyglass mua-events raw.nwb --spikes crossings --zscore-threshold 3 --out mua.nwb',
    'spyglass mua-events day.nwb --interval sleep2 --json',
  ],
  async run({ values, positionals }, io) {
    const file = fileArgument(positionals);
    const spikes = (values.spikes as string | undefined) ?? 'units';
    if (spikes !== 'units' && spikes !== 'crossings') throw new UsageError('--spikes', 'units or crossings', spikes);
    const path = resolvePath(io.cwd, file);
    const interval = intervalOption(values);
    const overrides = stepOverrides(this.options, values, 'mua-events');
    const stepOptions = {
      params: (values.params as string | undefined) ?? 'default',
      setOption: '--params',
      overrides: interval ? { ...overrides, interval } : overrides,
      optionNames: optionNames(this.options, 'mua-events'),
    };
    checkStepParams('mua-events', stepOptions); // before the upstream steps run
    await checkOutBeforeUpstream(io, values, [path]);
    const store = await storeFor(io, values);
    try {
      const marks =
        spikes === 'crossings'
          ? await runStepCommand(io, 'marks', { raw: { file: path } }, { openStore: store, silent: true })
          : undefined;
      // the speed gate takes the position step's speed (smoothed as Spyglass does), recorded too
      const position = await speedGatePosition(io, store, values, path, 'events');
      const outcome = await runStepCommand(
        io,
        'mua-events',
        {
          spikes: marks ? { result: marks.key } : { file: path },
          // an interval name is looked up in the session file (the spikes file unless crossings)
          ...(marks && typeof interval === 'string' ? { session: { file: path } } : {}),
          ...(position ? { position: { result: position.key } } : {}),
        },
        {
          openStore: store,
          ...stepOptions,
          out: values.out as string,
          force: values.force as boolean,
          sources: [path],
          json: values.json as boolean,
          extra: (_o, data) => ({
            marks: marks && { result: marks.key, cached: marks.cached },
            position: position && { result: position.key, cached: position.cached },
            events: (data.json.events as MuaEvent[]).map((e) => ({
              start: e.start,
              peak: e.peak,
              end: e.end,
              duration: e.duration,
              maxZscore: e.maxZscore,
              meanZscore: e.meanZscore,
              speed: e.speedAtPeak,
            })),
          }),
        },
      ).catch((err) => {
        if (err instanceof NwbFormatError && err.path === '/units')
          throw new NwbFormatError(
            err.file ?? path,
            err.path,
            'a Units table with spike_times (or --spikes crossings)',
          );
        throw err;
      });
      if (!values.json) io.stdout.write(`${outcome.result.summary.events} MUA events\n`);
    } finally {
      await store.close();
    }
    return 0;
  },
};
