import { ParameterError, StoreError } from '@spyglass-wasm/core';
import { STEPS, loadResult, openStore, runStep, writeAnalysisNwb, type InputRef, type RunOutcome, type Step, type Store } from '@spyglass-wasm/provenance';
import type { CommandIO } from './command.js';
import { printJson, progress } from './output.js';

/** Flags every store-backed command shares. */
export const STORE_OPTIONS = {
  store: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Opens the store named by --store, else $SPYGLASS_STORE, else `<cwd>/.spyglass`. */
export function storeFor(io: CommandIO, values: Record<string, unknown>): Promise<Store> {
  return openStore({ store: values.store as string | undefined, cwd: io.cwd, env: io.env });
}

/** A result key from the command line: full key, `result:` id, or a unique hex prefix. */
export async function resolveResult(store: Store, id: string): Promise<string> {
  const bare = id.replace(/^result:/, '');
  const full = bare.startsWith('blake3:') ? bare : `blake3:${bare}`;
  if (await store.getResult(full)) return full;
  const hits = await store.findResults(full);
  if (hits.length === 1) return hits[0];
  throw new StoreError(hits.length ? `result id ${id} is ambiguous (${hits.length} matches)` : `no result ${id} in the store at ${store.location}`);
}

export interface StepCommandOptions {
  store?: string;
  params?: string | Record<string, unknown>;
  overrides?: Record<string, unknown>;
  /** Copy the result's analysis NWB file here (written under a temporary name, then renamed). */
  out?: string;
  json?: boolean;
  /** Print nothing (an upstream step of another command). */
  silent?: boolean;
  /** Extra fields for the JSON output (e.g. the event list), from the result's data. */
  extra?: (outcome: RunOutcome, data: Awaited<ReturnType<typeof loadResult>>) => Record<string, unknown>;
  /** Use this open store instead of opening one. */
  openStore?: Store;
}

/**
 * Runs one step through the store for a `spyglass <step>` command and reports it: with --json,
 * `{ step, result, cached, file, analysisFile, summary, ... }`; else one line per result.
 *
 * @example
 * return runStepCommand(io, 'sort', { raw: { file } }, { store: values.store, json: values.json });
 */
export async function runStepCommand(io: CommandIO, stepName: string, inputs: Record<string, InputRef>, options: StepCommandOptions = {}): Promise<RunOutcome> {
  const step: Step | undefined = STEPS[stepName];
  if (!step) throw new ParameterError('step', `one of ${Object.keys(STEPS).join(', ')}`, stepName);
  const store = options.openStore ?? (await openStore({ store: options.store, cwd: io.cwd, env: io.env }));
  try {
    const outcome = await runStep(store, step, inputs, { params: options.params, overrides: options.overrides, onProgress: progress(io, stepName) });
    const needData = options.out || options.extra;
    const data = needData ? await loadResult(store, outcome.result) : undefined;
    if (options.out) {
      const { resolve } = await import('node:path');
      await writeAnalysisNwb(step, data!, { key: outcome.key, activity: outcome.result.activity }, resolve(io.cwd, options.out));
    }
    const report = {
      step: stepName,
      result: outcome.key,
      cached: outcome.cached,
      file: outcome.path,
      analysisFile: outcome.result.summary.analysisFile ? `${store.resultsDir}/${outcome.result.summary.analysisFile}` : undefined,
      out: options.out,
      summary: outcome.result.summary,
      ...(options.extra && data ? options.extra(outcome, data) : {}),
    };
    if (options.silent) return outcome;
    if (options.json) printJson(io, report);
    else io.stdout.write(`${stepName}: ${outcome.cached ? 'cached' : 'computed'} ${outcome.key}${options.out ? ` -> ${options.out}` : ''}\n`);
    return outcome;
  } finally {
    if (!options.openStore) await store.close();
  }
}
