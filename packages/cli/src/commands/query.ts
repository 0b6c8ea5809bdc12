import { STEPS } from '@spyglass-wasm/pipelines';
import {
  deleteResults,
  downstreamOf,
  fileEntity,
  lineageText,
  listResults,
  resolveParams,
} from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { UsageError } from '../lib/options.js';
import { printJson, summaryText } from '../lib/output.js';
import { checkInputFile, resolvePath } from '../lib/paths.js';
import { resultArgument, STORE_OPTIONS, withStore } from '../lib/step-command.js';

const short = (key: string) => key.replace(/^blake3:/, '').slice(0, 12);

/** `spyglass ls [--step S] [--file F] [--params NAME]`: the results in the store, newest first. */
export const lsCommand: Command = {
  name: 'ls',
  summary: 'List results in the store (key, step, inputs, parameter set, when, by whom), newest first',
  args: '',
  options: {
    ...STORE_OPTIONS,
    step: { type: 'string', value: 'STEP', help: "only this step's results", default: 'every step' },
    file: { type: 'string', value: 'FILE.nwb', help: 'only results computed from this file', default: 'any file' },
    params: { type: 'string', value: 'NAME', help: 'only results of this named parameter set', default: 'any' },
  },
  examples: ['spyglass ls --step sort --file session.nwb', 'spyglass ls --params karlsson --json'],
  async run({ values, positionals }, io) {
    if (positionals.length)
      throw new UsageError('ls', 'no positional arguments (use --step, --file, --params)', positionals.join(' '));
    const step = values.step as string | undefined;
    if (step !== undefined && !STEPS[step])
      throw new UsageError('--step', `one of ${Object.keys(STEPS).join(', ')}`, step);
    let from: string | undefined;
    if (values.file !== undefined) {
      const file = resolvePath(io.cwd, values.file as string);
      await checkInputFile(file, '--file');
      from = (await fileEntity(file)).id;
    }
    await withStore(io, values, async (store) => {
      const rows = await listResults(store, { step, paramSetName: values.params as string | undefined, from });
      if (values.json) printJson(io, rows);
      else {
        for (const r of rows) {
          io.stdout.write(
            `${short(r.key)}  ${r.step.padEnd(9)} ${(r.paramSetName ?? '(custom)').padEnd(11)} ${r.createdAt.slice(0, 19).replace('T', ' ')}  ${r.agent}${r.status === 'invalid' ? '  INVALID' : ''}  ${summaryText(r.summary)}\n`,
          );
        }
        io.stdout.write(`${rows.length} result${rows.length === 1 ? '' : 's'} in ${store.location}\n`);
      }
    });
    return 0;
  },
};

/** `spyglass show KEY`: one result's summary, parameters and lineage. */
export const showCommand: Command = {
  name: 'show',
  summary: 'Show one result: summary, parameters, inputs and lineage',
  args: 'RESULT',
  options: { ...STORE_OPTIONS },
  examples: ['spyglass show 3f2a9c', 'spyglass show 3f2a9c --json'],
  async run({ values, positionals }, io) {
    await withStore(io, values, async (store) => {
      const key = await resultArgument(store, positionals);
      const r = (await store.getResult(key))!;
      const lineage = await lineageText(store, key);
      if (values.json) printJson(io, { ...r, lineage });
      else {
        io.stdout.write(
          `${r.key}\n  step        ${r.step} (${r.status})\n  parameters  ${r.activity.paramSetName ?? '(custom)'} ${JSON.stringify(r.activity.params)}\n`,
        );
        io.stdout.write(
          `  summary     ${summaryText(r.summary)}\n  made        ${r.activity.endedAt} by ${r.activity.agent} (${r.activity.runtime.runtime})\n  lineage\n`,
        );
        for (const line of lineage) io.stdout.write(`    ${line}\n`);
      }
    });
    return 0;
  },
};

/** `spyglass params [STEP]`: the named parameter sets and their values. */
export const paramsCommand: Command = {
  name: 'params',
  summary: 'List the named parameter sets of every step (or one) and their values',
  args: '[STEP]',
  options: { json: STORE_OPTIONS.json },
  examples: ['spyglass params', 'spyglass params ripples --json'],
  async run({ values, positionals }, io) {
    const [name] = positionals;
    if (positionals.length > 1 || (name && !STEPS[name]))
      throw new UsageError('STEP', `one of ${Object.keys(STEPS).join(', ')}`, positionals.join(' '));
    const steps = name ? [STEPS[name]] : Object.values(STEPS);
    const sets = Object.fromEntries(
      steps.map((s) => [
        s.name,
        Object.fromEntries(
          Object.keys(s.paramSets ?? { default: {} }).map((set) => [set, resolveParams(s, set).params]),
        ),
      ]),
    );
    if (values.json) printJson(io, sets);
    else
      for (const [step, named] of Object.entries(sets))
        for (const [set, params] of Object.entries(named))
          io.stdout.write(`${step.padEnd(10)} ${set.padEnd(12)} ${JSON.stringify(params)}\n`);
    return 0;
  },
};

/** `spyglass rm KEY [--yes]`: deletes a result and everything computed from it. */
export const rmCommand: Command = {
  name: 'rm',
  summary: 'Delete a result and everything downstream of it (lists them; --yes deletes)',
  args: 'RESULT',
  options: {
    ...STORE_OPTIONS,
    yes: { type: 'boolean', short: 'y', help: 'delete (without it: list what would be deleted, exit 1)' },
  },
  examples: ['spyglass rm 3f2a9c', 'spyglass rm 3f2a9c --yes'],
  async run({ values, positionals }, io) {
    return withStore(io, values, async (store) => {
      const key = await resultArgument(store, positionals);
      const keys = await downstreamOf(store, key);
      const rows = await Promise.all(
        keys.map(async (k) => ({ key: k, step: (await store.getResult(k))?.step ?? '?' })),
      );
      if (!values.yes) {
        if (values.json) printJson(io, { deleted: 0, wouldDelete: rows });
        else {
          io.stdout.write(`would delete ${rows.length} result${rows.length === 1 ? '' : 's'}:\n`);
          for (const r of rows) io.stdout.write(`  ${short(r.key)}  ${r.step}\n`);
          io.stdout.write('run again with --yes to delete them\n');
        }
        return 1;
      }
      const deleted = await deleteResults(store, keys);
      if (values.json) printJson(io, { deleted, results: rows });
      else
        io.stdout.write(
          `deleted ${deleted} result${deleted === 1 ? '' : 's'} (${rows.map((r) => `${r.step} ${short(r.key)}`).join(', ')})\n`,
        );
      return 0;
    });
  },
};
