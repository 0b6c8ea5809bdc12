import { readFile } from 'node:fs/promises';
import { ParameterError } from '@spyglass-wasm/core';
import type { Command } from '../lib/command.js';
import { resolvePath } from '../lib/paths.js';
import { optionNames, UsageError } from '../lib/options.js';
import {
  outOptions,
  requiredOption,
  resolveResult,
  runStepCommand,
  STORE_OPTIONS,
  withStore,
} from '../lib/step-command.js';

/**
 * `spyglass curate SORT_RESULT --out OUT.nwb [--label 0=noise,3=mua] [--merge 2+5,7+8] [--split 4@120]`:
 * a curation of a stored sort result, recorded as a `curate` step whose parent is the sort (the
 * same step and parameters the viewer's Curate tab records, so both give the same key).
 */
export const curateCommand: Command = {
  name: 'curate',
  summary:
    'Curate a stored sort result: metric rules, then manual labels, merges and amplitude splits; the curated Units into an analysis NWB file',
  args: 'SORT_RESULT',
  step: 'curate',
  options: {
    ...STORE_OPTIONS,
    ...outOptions(true),
    label: {
      type: 'string',
      value: 'U=LABEL,...',
      help: 'label units by index: accept, mua or noise (after the metric rules)',
      param: { step: 'curate', name: 'labels', override: false },
      default: 'the metric labels',
    },
    merge: {
      type: 'string',
      value: 'U+U[+U],...',
      help: 'merge groups of units (one neuron split in two)',
      param: { step: 'curate', name: 'merge', override: false },
      default: 'none',
    },
    split: {
      type: 'string',
      value: 'U@MICROVOLTS,...',
      help: "split a unit's spikes at an amplitude",
      param: { step: 'curate', name: 'split', override: false },
      default: 'none',
    },
    keep: {
      type: 'string',
      value: 'LABEL,...',
      help: 'the labels written to the curated Units table',
      param: { step: 'curate', name: 'keep', override: false },
    },
    params: {
      type: 'string',
      value: 'CURATION.json',
      help: "curate parameters from a JSON file (e.g. the viewer's); the options above win",
      default: 'none',
    },
  },
  examples: [
    'spyglass curate 3f2a --label 0=noise,1=noise --merge 2+3 --out curated.nwb',
    'spyglass curate 3f2a --split 4@120 --keep accept --out curated.nwb --json',
  ],
  async run({ values, positionals }, io) {
    if (positionals.length !== 1)
      throw new UsageError(
        'SORT_RESULT',
        'one sort result id (or a unique prefix)',
        positionals.join(' ') || 'nothing',
      );
    requiredOption(values, 'out', 'an output path for the analysis NWB file');
    const overrides = {
      ...(await paramsFile(io.cwd, values.params as string | undefined)),
      ...curationOptions(values),
    };
    const out = resolvePath(io.cwd, values.out as string);
    const key = await withStore(io, values, (store) => resolveResult(store, positionals[0]));
    const outcome = await runStepCommand(
      io,
      'curate',
      { sorting: { result: key } },
      {
        store: values.store as string | undefined,
        overrides,
        out,
        force: values.force as boolean,
        json: values.json as boolean,
        silent: !values.json,
        optionNames: { ...optionNames(this.options, 'curate'), sorting: 'SORT_RESULT' },
        extra: (_o, d) => ({ out, units: d.json.units }),
      },
    ).catch((err) => {
      throw optionError(err);
    });
    if (!values.json) {
      const s = outcome.result.summary as Record<string, number>;
      io.stdout.write(
        `${out} (${outcome.cached ? 'cached' : 'computed'} ${outcome.key})\n  ${s.units} units kept; ${s.noise} noise, ${s.mua} mua${s.merged ? `; ${s.merged} merged` : ''}${s.split ? `; ${s.split} split` : ''}\n`,
      );
    }
    return 0;
  },
};

/** The step names the entry (`merge[1]`, `labels.3`, `split unit 4`); the user typed --merge etc. */
function optionError(err: unknown): unknown {
  const m = err instanceof ParameterError ? /^(labels|merge|split)\b(.*)$/.exec(err.parameter ?? '') : null;
  return m
    ? new (err instanceof UsageError ? UsageError : ParameterError)(
        `--${m[1] === 'labels' ? 'label' : m[1]}${m[2]}`,
        (err as ParameterError).expected ?? 'a valid value',
        (err as ParameterError).received,
      )
    : err;
}

/** Curate parameters from a JSON file (e.g. the viewer's "curation parameters"), checked by the step. */
async function paramsFile(cwd: string, path: string | undefined): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
  const text = await readFile(resolvePath(cwd, path), 'utf8').catch(() => {
    throw new ParameterError('--params', 'a readable JSON file of curate parameters', path);
  });
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    // reported below
  }
  throw new ParameterError('--params', `a JSON object of curate parameters in ${path}`, text.slice(0, 60));
}

/**
 * The manual options as step parameters: `--label 0=noise,3=mua`, `--merge 2+5,7+8`, `--split 4@120`,
 * `--keep accept`. Unit indices and labels are checked by the step (errors name the option).
 *
 * @example
 * curationOptions({ label: '0=noise', merge: '2+3' }); // { labels: { 0: 'noise' }, merge: [[2, 3]] }
 */
export function curationOptions(values: Record<string, unknown>): Record<string, unknown> {
  const list = (name: string) =>
    String(values[name])
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const int = (name: string, s: string) => {
    if (!/^\d+$/.test(s)) throw new UsageError(`--${name}`, 'unit indices of the sort (0, 1, …)', s);
    return Number(s);
  };
  const o: Record<string, unknown> = {};
  if (values.label !== undefined) {
    o.labels = Object.fromEntries(
      list('label').map((p) => {
        const [u, l, ...rest] = p.split('=');
        if (l === undefined || rest.length) throw new UsageError('--label', 'UNIT=LABEL pairs, e.g. 0=noise,3=mua', p);
        return [int('label', u), l];
      }),
    );
  }
  if (values.merge !== undefined) o.merge = list('merge').map((g) => g.split('+').map((u) => int('merge', u)));
  if (values.split !== undefined) {
    o.split = list('split').map((p) => {
      const [u, t, ...rest] = p.split('@');
      if (t === undefined || rest.length || !(Number(t) > 0))
        throw new UsageError('--split', 'UNIT@MICROVOLTS, e.g. 4@120', p);
      return { unit: int('split', u), amplitudeThreshold: Number(t) };
    });
  }
  if (values.keep !== undefined) o.keep = list('keep');
  return o;
}
