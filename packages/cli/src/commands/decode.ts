import { ParameterError } from '@spyglass-wasm/core';
import type { Command } from '../lib/command.js';
import { resolvePath } from '../lib/paths.js';
import { OUT_OPTIONS, runStepCommand, STORE_OPTIONS } from '../lib/step-command.js';

/**
 * `spyglass decode FILE --out OUT.nwb`: encode place fields on the first part of the session, decode
 * the rest (state space, 2 ms bins), write `decoded_position` + posterior to an analysis NWB file.
 * Runs the provenance `decode` step through the store: a stored result with the same key is reused.
 */
export const decodeCommand: Command = {
  name: 'decode',
  summary:
    'Decode position from spikes (encode on the first part of the session, decode the rest), cached in the store',
  usage:
    'spyglass decode FILE --out OUT.nwb [--force] [--mode sorted|clusterless] [--train-fraction 0.8 | --encode INTERVAL --decode INTERVAL] [--units FILE2.nwb] [--bin-size 0.002] [--state-space continuous|continuous-fragmented] [--store URL|DIR] [--json]',
  options: {
    ...STORE_OPTIONS,
    ...OUT_OPTIONS,
    mode: { type: 'string' },
    'train-fraction': { type: 'string' },
    units: { type: 'string' },
    'bin-size': { type: 'string' },
    'state-space': { type: 'string' },
    encode: { type: 'string' },
    decode: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [file] = positionals;
    if (!file || positionals.length > 1)
      throw new ParameterError('FILE', 'one NWB file', positionals.join(' ') || 'nothing');
    // values are checked once, by the decode step; errors name the option (optionNames)
    const mode = (values.mode as string | undefined) ?? 'sorted';
    const overrides: Record<string, unknown> = { mode };
    if (values['train-fraction'] !== undefined) overrides.trainFraction = Number(values['train-fraction']);
    if (values['bin-size'] !== undefined) overrides.binSize = Number(values['bin-size']);
    if (values['state-space'] !== undefined) overrides.stateSpace = values['state-space'];
    if (values.encode !== undefined) overrides.encode = values.encode;
    if (values.decode !== undefined) overrides.decode = values.decode;
    const out = values.out as string | undefined;
    if (!out) throw new ParameterError('--out', 'an output NWB path', 'nothing');
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
        optionNames: {
          mode: '--mode',
          trainFraction: '--train-fraction',
          binSize: '--bin-size',
          stateSpace: '--state-space',
          encode: '--encode',
          decode: '--decode',
        },
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
