import { NwbFormatError, ParameterError, StoreError } from '@spyglass-wasm/core';
import { STEPS } from '@spyglass-wasm/pipelines';
import {
  blobPath,
  loadResult,
  openStore,
  resolveParams,
  runStep,
  writeAtomically,
  type InputRef,
  type RunOutcome,
  type Step,
  type Store,
} from '@spyglass-wasm/provenance';
import type { CommandIO } from './command.js';
import { UsageError, type OptionTable } from './options.js';
import { printJson, progress } from './output.js';
import { checkInputFile, checkOutputFile } from './paths.js';

/** Options every store-backed command shares. */
export const STORE_OPTIONS = {
  store: {
    type: 'string',
    value: 'URL|DIR',
    help: 'the provenance store: a folder (embedded) or postgres://…',
    default: '$SPYGLASS_STORE, else ./.spyglass',
  },
  json: { type: 'boolean', help: 'print the result as one JSON document on stdout' },
} as const satisfies OptionTable;

/**
 * Options that choose the part of the session `step` runs on: an interval name (epoch tag,
 * TimeIntervals table; see spyglass info) or --start/--stop.
 */
export function intervalOptions(step: string) {
  return {
    interval: {
      type: 'string',
      value: 'NAME',
      help: 'run on this interval: an epoch tag or TimeIntervals table (spyglass info lists them)',
      param: { step, name: 'interval', override: false },
      default: 'the whole session',
    },
    start: { type: 'string', value: 'S', help: 'or run from this time (s, with --stop)', default: 'the start' },
    stop: { type: 'string', value: 'S', help: 'and to this time (s, with --start)', default: 'the end' },
  } as const satisfies OptionTable;
}

/** The step's `interval` parameter from --interval NAME or --start S --stop S (undefined: the whole session). */
export function intervalOption(values: Record<string, unknown>): string | [number, number][] | undefined {
  if (values.interval !== undefined) {
    if (values.start !== undefined || values.stop !== undefined)
      throw new UsageError('--interval', 'either --interval or --start/--stop, not both', values.interval);
    if (!values.interval) throw new UsageError('--interval', 'an interval name (see spyglass info)', '');
    return values.interval as string;
  }
  if (values.start === undefined && values.stop === undefined) return undefined;
  const start = Number(values.start),
    stop = Number(values.stop);
  if (!Number.isFinite(start)) throw new UsageError('--start', 'a time in seconds (with --stop)', values.start);
  if (!(stop > start)) throw new UsageError('--stop', `a time in seconds after --start (${start})`, values.stop);
  return [[start, stop]];
}

/**
 * For commands that run upstream steps before their own: the inputs and --out (missing folder, an
 * input, an existing file without --force) checked before any of them runs, so a refused --out
 * costs nothing. runStepCommand checks --out again before writing.
 */
export async function checkOutBeforeUpstream(
  io: CommandIO,
  values: Record<string, unknown>,
  inputs: readonly string[],
): Promise<void> {
  for (const f of new Set(inputs)) await checkInputFile(f);
  if (typeof values.out !== 'string' || !values.out) return;
  const { resolve } = await import('node:path');
  await checkOutputFile(resolve(io.cwd, values.out), { inputs, force: values.force as boolean | undefined });
}

/**
 * The position step on `file` for an event detector's speed gate (Spyglass never gates on raw
 * tracking), recorded like any step; none with --no-speed. A file without tracking is refused with
 * the hint that --no-speed detects `events` without the gate.
 */
export async function speedGatePosition(
  io: CommandIO,
  store: Store,
  values: Record<string, unknown>,
  file: string,
  events: string,
): Promise<RunOutcome | undefined> {
  if (values['no-speed']) return undefined;
  try {
    return await runStepCommand(io, 'position', { session: { file } }, { openStore: store, silent: true });
  } catch (err) {
    if (err instanceof NwbFormatError && err.path?.includes('Position'))
      throw new NwbFormatError(
        err.file ?? file,
        err.path,
        `${err.expected} to gate ${events} by speed (--no-speed detects without the gate)`,
      );
    throw err;
  }
}

/** Options of commands that write an analysis file (`required`: the command always writes one). */
export function outOptions(required = false) {
  return {
    out: {
      type: 'string',
      short: 'o',
      value: 'OUT.nwb',
      help: "copy the result's analysis NWB file here (never an input; temporary name, then renamed)",
      default: 'none: the result stays in the store',
      required,
    },
    force: { type: 'boolean', help: 'replace an existing --out file' },
  } as const satisfies OptionTable;
}

/** The one FILE argument of a command (a usage error when missing or more than one). */
export function fileArgument(positionals: string[], what = 'one NWB file'): string {
  if (positionals.length !== 1) throw new UsageError('FILE', what, positionals.join(' ') || 'nothing');
  return positionals[0];
}

/** A required option's value (a usage error when it is missing or empty). */
export function requiredOption(values: Record<string, unknown>, name: string, expected: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name}`, expected, v ?? 'nothing');
  return v;
}

/** Opens the store named by --store, else $SPYGLASS_STORE, else `<cwd>/.spyglass`. */
export function storeFor(io: CommandIO, values: Record<string, unknown>): Promise<Store> {
  return openStore({ store: values.store as string | undefined, cwd: io.cwd, env: io.env });
}

/** Opens the store for a command, runs `fn`, and always closes it. */
export async function withStore<T>(
  io: CommandIO,
  values: Record<string, unknown>,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await storeFor(io, values);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The one RESULT argument of a command, resolved to a full key in `store`. */
export function resultArgument(store: Store, positionals: string[]): Promise<string> {
  if (positionals.length !== 1)
    throw new UsageError('RESULT', 'one result id (or a unique prefix)', positionals.join(' ') || 'nothing');
  return resolveResult(store, positionals[0]);
}

/** A result key from the command line: full key, `result:` id, or a unique hex prefix. */
export async function resolveResult(store: Store, id: string): Promise<string> {
  const bare = id.replace(/^result:/, '');
  const full = bare.startsWith('blake3:') ? bare : `blake3:${bare}`;
  if (await store.getResult(full)) return full;
  const hits = await store.findResults(full);
  if (hits.length === 1) return hits[0];
  throw new StoreError(
    hits.length
      ? `result id ${id} is ambiguous (${hits.length} matches)`
      : `no result ${id} in the store at ${store.location}`,
  );
}

export interface StepCommandOptions {
  store?: string;
  params?: string | Record<string, unknown>;
  overrides?: Record<string, unknown>;
  /** Copy the result's analysis NWB file here (written under a temporary name, then renamed). */
  out?: string;
  /** Replace an existing `out` (never an input of the run). */
  force?: boolean;
  /** Files the run reads besides `inputs`' files (upstream steps' inputs), which `out` must not be. */
  sources?: string[];
  json?: boolean;
  /** Print nothing (an upstream step of another command). */
  silent?: boolean;
  /** Extra fields for the JSON output (e.g. the event list), from the result's data. */
  extra?: (outcome: RunOutcome, data: Awaited<ReturnType<typeof loadResult>>) => Record<string, unknown>;
  /** Use this open store instead of opening one. */
  openStore?: Store;
  /** Step parameter -> the command-line option that sets it, so errors name what the user typed. */
  optionNames?: Record<string, string>;
  /** The option that named `params` (a parameter-set name), for the usage error when there is no such set. */
  setOption?: string;
}

/**
 * A ParameterError about a step parameter, renamed to the user's command-line option; a UsageError
 * when `usage` (found before any data was read: the option's value itself is wrong).
 */
function asOptionError(err: unknown, names: Record<string, string> = {}, usage = false): unknown {
  if (err instanceof ParameterError && err.parameter && names[err.parameter]) {
    const Err = usage ? UsageError : ParameterError;
    return new Err(names[err.parameter], err.expected ?? 'a valid value', err.received);
  }
  return err;
}

/**
 * Checks the parameters a command gives a step before any input is read: an unknown parameter set
 * (`setOption`, e.g. --params) or a value of the wrong type or out of bounds is a usage error naming
 * the option. The runner checks them again (the same schema) before running. Commands that run
 * upstream steps first call it for their own step before any of them.
 *
 * @example
 * checkStepParams('ripples', { params: 'karlsson', setOption: '--detector' });
 */
export function checkStepParams(stepName: string, options: StepCommandOptions): void {
  const step: Step | undefined = STEPS[stepName];
  if (!step) throw new ParameterError('step', `one of ${Object.keys(STEPS).join(', ')}`, stepName);
  let params: Record<string, unknown>;
  try {
    params = resolveParams(step, options.params, options.overrides).params;
  } catch (err) {
    if (err instanceof ParameterError && err.parameter === `${step.name} parameter set` && options.setOption)
      throw new UsageError(options.setOption, err.expected ?? 'a parameter set', err.received);
    throw err;
  }
  try {
    step.validate?.(params);
  } catch (err) {
    throw asOptionError(err, options.optionNames, true);
  }
}

/**
 * Runs one step through the store for a `spyglass <step>` command and reports it: with --json,
 * `{ step, result, cached, file, analysisFile, summary, ... }`; else one line per result.
 *
 * @example
 * return runStepCommand(io, 'sort', { raw: { file } }, { store: values.store, json: values.json });
 */
export async function runStepCommand(
  io: CommandIO,
  stepName: string,
  inputs: Record<string, InputRef>,
  options: StepCommandOptions = {},
): Promise<RunOutcome> {
  const step: Step | undefined = STEPS[stepName];
  if (!step) throw new ParameterError('step', `one of ${Object.keys(STEPS).join(', ')}`, stepName);
  checkStepParams(stepName, options);
  const files = [...Object.values(inputs).flatMap((r) => ('file' in r ? [r.file] : [])), ...(options.sources ?? [])];
  for (const f of files) await checkInputFile(f);
  const { resolve } = await import('node:path');
  const out = options.out ? resolve(io.cwd, options.out) : undefined;
  if (out) await checkOutputFile(out, { inputs: files, force: options.force });
  const store = options.openStore ?? (await openStore({ store: options.store, cwd: io.cwd, env: io.env }));
  try {
    const outcome = await runStep(store, step, inputs, {
      params: options.params,
      overrides: options.overrides,
      onProgress: progress(io, stepName),
      threads: io.threads,
    }).catch((err) => {
      throw asOptionError(err, options.optionNames);
    });
    const data = options.extra ? await loadResult(store, outcome.result) : undefined;
    const analysisFile = outcome.result.summary.analysisFile as string | undefined;
    if (out) {
      // --out is a copy of the stored analysis file: the same bytes, the same provenance record
      if (!analysisFile)
        throw new StoreError(`the ${stepName} result ${outcome.key} has no analysis file to copy to ${out}`);
      await checkOutputFile(out, { inputs: files, force: options.force }); // again: the run may have taken long
      await writeAtomically(out, await store.blobs.read(analysisFile));
    }
    const report = {
      step: stepName,
      result: outcome.key,
      cached: outcome.cached,
      file: outcome.path,
      analysisFile: analysisFile ? blobPath(store, analysisFile) : undefined,
      out,
      summary: outcome.result.summary,
      ...(options.extra && data ? options.extra(outcome, data) : {}),
    };
    if (options.silent) return outcome;
    if (options.json) printJson(io, report);
    else
      io.stdout.write(
        `${stepName}: ${outcome.cached ? 'cached' : 'computed'} ${outcome.key}${options.out ? ` -> ${options.out}` : ''}\n`,
      );
    return outcome;
  } finally {
    if (!options.openStore) await store.close();
  }
}
