import { ParameterError, StoreError } from '@spyglass-wasm/core';
import { STEPS } from '@spyglass-wasm/pipelines';
import {
  blobPath,
  loadResult,
  openStore,
  runStep,
  writeAtomically,
  type InputRef,
  type RunOutcome,
  type Step,
  type Store,
} from '@spyglass-wasm/provenance';
import type { CommandIO } from './command.js';
import { printJson, progress } from './output.js';
import { checkInputFile, checkOutputFile } from './paths.js';

/** Flags every store-backed command shares. */
export const STORE_OPTIONS = {
  store: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Flags that choose an interval of the session: a name (epoch tag, TimeIntervals table) or --start/--stop. */
export const INTERVAL_OPTIONS = {
  interval: { type: 'string' },
  start: { type: 'string' },
  stop: { type: 'string' },
} as const;

/** The step's `interval` parameter from --interval NAME or --start S --stop S (undefined: the whole session). */
export function intervalOption(values: Record<string, unknown>): string | [number, number][] | undefined {
  if (values.interval !== undefined) {
    if (values.start !== undefined || values.stop !== undefined)
      throw new ParameterError('--interval', 'either --interval or --start/--stop, not both', values.interval);
    if (!values.interval) throw new ParameterError('--interval', 'an interval name (see spyglass info)', '');
    return values.interval as string;
  }
  if (values.start === undefined && values.stop === undefined) return undefined;
  const start = Number(values.start),
    stop = Number(values.stop);
  if (!Number.isFinite(start)) throw new ParameterError('--start', 'a time in seconds (with --stop)', values.start);
  if (!(stop > start)) throw new ParameterError('--stop', `a time in seconds after --start (${start})`, values.stop);
  return [[start, stop]];
}

/** Flags of commands that write an analysis file. */
export const OUT_OPTIONS = {
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
} as const;

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
    throw new ParameterError('RESULT', 'one result id (or a unique prefix)', positionals.join(' ') || 'nothing');
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
}

/** A ParameterError about a step parameter, renamed to the user's command-line option. */
function asOptionError(err: unknown, names: Record<string, string> = {}): unknown {
  if (err instanceof ParameterError && err.parameter && names[err.parameter]) {
    return new ParameterError(names[err.parameter], err.expected ?? 'a valid value', err.received);
  }
  return err;
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
