import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParameterError } from '@spyglass-wasm/core';
import { MAIN_PIPELINE, STEPS } from '@spyglass-wasm/pipelines';
import { blobPath, parsePipeline, runPipeline, type Store } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { printJson } from '../lib/output.js';
import { storeFor, STORE_OPTIONS } from '../lib/step-command.js';
import { resolvePath } from '../lib/paths.js';

const FIXTURE = 'packages/nwb-io/test/fixtures/tetrode-session.nwb';

/** The bundled session, found from this module upward (works from src/ and dist/). */
function bundledSession(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, dir = dirname(dir)) if (existsSync(join(dir, FIXTURE))) return join(dir, FIXTURE);
  return undefined;
}

/**
 * `spyglass demo`: the main pipeline (LFP -> ripples -> sort -> decode) on the bundled tetrode
 * session into the embedded store; a second run reuses every result.
 */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run LFP -> ripples -> sort -> decode on the bundled session into the store (again: all cached)',
  usage: 'spyglass demo [FILE] [--store URL|DIR] [--json]',
  options: { ...STORE_OPTIONS },
  async run({ values, positionals }, io) {
    const file = positionals[0] ? resolvePath(io.cwd, positionals[0]) : bundledSession();
    if (!file) throw new ParameterError('FILE', `an NWB session (the bundled ${FIXTURE} was not found)`, 'nothing');
    const store = await storeFor(io, values);
    try {
      const results = await demoPipeline(store, file, (line) => values.json || io.stdout.write(line + '\n'));
      if (values.json) printJson(io, { store: store.location, resultsDir: store.resultsDir, file, ...results });
      else {
        io.stdout.write(`\nstore:   ${store.location}\nresults: ${store.resultsDir}\n`);
        const last = Object.values(results.steps).at(-1);
        if (last) io.stdout.write(`lineage: spyglass log ${last.result}\nexport:  spyglass export ${last.result} --out crate/\n`);
      }
    } finally {
      await store.close();
    }
    return 0;
  },
};

type Line = (text: string) => void;

/** Runs the main pipeline file through the same runner as `spyglass run`, one line per step. */
async function demoPipeline(store: Store, file: string, say: Line) {
  const steps: Record<string, { result: string; cached: boolean; file: string; summary: Record<string, unknown> }> = {};
  const pipeline = parsePipeline(MAIN_PIPELINE, STEPS, 'main pipeline');
  await runPipeline(store, pipeline, [file], STEPS, {
    onStep: (_file, id, o) => {
      steps[id] = { result: o.key, cached: o.cached, file: o.result.summary.analysisFile ? blobPath(store, o.result.summary.analysisFile as string) : o.path, summary: o.result.summary };
      const summary = Object.entries(o.result.summary).filter(([k, v]) => k !== 'analysisFile' && typeof v !== 'object').map(([k, v]) => `${k}=${v}`).join(' ');
      say(`${id.padEnd(8)} ${o.cached ? 'cached  ' : 'computed'} ${o.key.slice(0, 23)}…  ${summary}`);
    },
  });
  return { steps, cached: Object.values(steps).every((s) => s.cached) };
}
