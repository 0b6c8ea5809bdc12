import { ParameterError, checkNumber } from '@spyglass-wasm/core';
import type { Command } from '../lib/command.js';
import { runStepCommand, STORE_OPTIONS } from '../lib/step-command.js';
import { resolvePath } from './lfp.js';

/**
 * `spyglass decode FILE --out OUT.nwb`: encode place fields on the first part of the session, decode
 * the rest (state space, 2 ms bins), write `decoded_position` + posterior to an analysis NWB file.
 * Runs the provenance `decode` step through the store: a stored result with the same key is reused.
 */
export const decodeCommand: Command = {
  name: 'decode',
  summary: 'Decode position from spikes (encode on the first part of the session, decode the rest), cached in the store',
  usage: 'spyglass decode FILE --out OUT.nwb [--mode sorted|clusterless] [--train-fraction 0.8] [--units FILE2.nwb] [--bin-size 0.002] [--state-space continuous|continuous-fragmented] [--store URL|DIR] [--json]',
  options: {
    ...STORE_OPTIONS,
    out: { type: 'string', short: 'o' },
    mode: { type: 'string' },
    'train-fraction': { type: 'string' },
    units: { type: 'string' },
    'bin-size': { type: 'string' },
    'state-space': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new ParameterError('FILE', 'one NWB file', positionals.join(' ') || 'nothing');
    const mode = (values.mode as string | undefined) ?? 'sorted';
    if (mode !== 'sorted' && mode !== 'clusterless') throw new ParameterError('--mode', 'sorted or clusterless', mode);
    const trainFraction = checkNumber('--train-fraction', Number(values['train-fraction'] ?? 0.8), { min: 0.05, max: 0.95 });
    const binSize = checkNumber('--bin-size', Number(values['bin-size'] ?? 0.002), { min: 1e-4, max: 1 });
    const stateSpace = (values['state-space'] as string | undefined) ?? 'continuous';
    if (stateSpace !== 'continuous' && stateSpace !== 'continuous-fragmented') throw new ParameterError('--state-space', 'continuous or continuous-fragmented', stateSpace);
    const out = values.out as string | undefined;
    if (!out) throw new ParameterError('--out', 'an output NWB path', 'nothing');
    const path = resolvePath(io.cwd, file);
    const units = values.units ? resolvePath(io.cwd, values.units as string) : path;
    const outcome = await runStepCommand(io, 'decode', { units: { file: units }, session: { file: path } }, {
      store: values.store as string | undefined, params: mode === 'clusterless' ? 'clusterless' : undefined, overrides: { trainFraction, binSize, stateSpace }, out, json: values.json as boolean, silent: !values.json,
      extra: (_o, d) => ({
        file: path, out: resolvePath(io.cwd, out), mode, stateSpace, binSize,
        train: d.json.train, decode: d.json.decode, nTime: d.arrays.time.shape[0], positionBins: d.arrays.binCenters.shape[0], dims: d.arrays.binCenters.shape[1],
        units: d.json.units, runningSpeedCmPerS: 4, error: d.json.error,
      }),
    });
    if (!values.json) {
      const s = outcome.result.summary as Record<string, number>;
      io.stdout.write(`decoded ${s.timeBins} bins (${outcome.cached ? 'cached' : 'computed'} ${outcome.key}): median error while running ${s.medianErrorRunningCm.toFixed(2)} cm (MAP), mean ${s.meanErrorRunningCm.toFixed(2)} cm -> ${resolvePath(io.cwd, out)}\n`);
    }
    return 0;
  },
};
