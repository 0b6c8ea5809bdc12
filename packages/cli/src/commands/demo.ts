import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParameterError } from '@spyglass-wasm/core';
import { MAIN_PIPELINE, STEPS } from '@spyglass-wasm/pipelines';
import { blobPath, parsePipeline, runPipeline, runStep, type RunOutcome, type Store } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { UsageError } from '../lib/options.js';
import { printJson, summaryText } from '../lib/output.js';
import { storeFor, STORE_OPTIONS } from '../lib/step-command.js';
import { resolvePath } from '../lib/paths.js';

/**
 * A demo session: in the package's dist/demo/ (copied there at build, so the published cli has
 * them), else in the repository's nwb-io test fixtures (running from src/).
 */
function demoSession(name: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    for (const rel of [`demo/${name}`, `dist/demo/${name}`, `packages/nwb-io/test/fixtures/${name}`])
      if (existsSync(join(dir, rel))) return join(dir, rel);
  }
  return undefined;
}

/**
 * `spyglass demo`: the main pipeline (LFP -> ripples -> sort -> decode) on the bundled tetrode
 * session into the embedded store; a second run reuses every result.
 */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run LFP -> ripples -> sort -> decode on the bundled session into the store (again: all cached)',
  args: '[FILE]',
  options: { ...STORE_OPTIONS },
  examples: ['spyglass demo', 'spyglass demo my-session.nwb --json'],
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError('FILE', 'at most one NWB session', positionals.join(' '));
    const file = positionals[0] ? resolvePath(io.cwd, positionals[0]) : demoSession('tetrode-session.nwb');
    if (!file)
      throw new ParameterError('FILE', 'an NWB session (the bundled tetrode-session.nwb was not found)', 'nothing');
    // with the bundled sessions, decoding also runs on 15 minutes of place cells, long enough to decode well
    const track = positionals[0] ? undefined : demoSession('linear-track-units.nwb');
    const store = await storeFor(io, values);
    try {
      const say = (line: string) => values.json || io.stdout.write(line + '\n');
      const results = await demoPipeline(store, file, say);
      if (track) {
        const o = await runStep(store, STEPS.decode, { units: { file: track } });
        results.steps['decode-track'] = reported(store, o);
        results.cached &&= o.cached;
        say(stepLine('decode', o, 'on linear-track-units.nwb: '));
      }
      if (!values.json) io.stdout.write(explain(results.steps));
      if (values.json) printJson(io, { store: store.location, resultsDir: store.resultsDir, file, ...results });
      else {
        io.stdout.write(`\nstore:   ${store.location}\nresults: ${store.resultsDir}\n`);
        const last = Object.values(results.steps).at(-1);
        if (last)
          io.stdout.write(
            `lineage: spyglass log ${last.result}\nexport:  spyglass export ${last.result} --out crate/\n`,
          );
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
  const steps: Record<string, ReturnType<typeof reported>> = {};
  const pipeline = parsePipeline(MAIN_PIPELINE, STEPS, 'main pipeline');
  await runPipeline(store, pipeline, [file], STEPS, {
    onStep: (_file, id, o) => {
      steps[id] = reported(store, o);
      say(stepLine(id, o));
    },
  });
  return { steps, cached: Object.values(steps).every((s) => s.cached) };
}

/** One step's outcome as the demo reports it (its analysis file, else its result file). */
function reported(store: Store, o: RunOutcome) {
  return {
    result: o.key,
    cached: o.cached,
    file: o.result.summary.analysisFile ? blobPath(store, o.result.summary.analysisFile as string) : o.path,
    summary: o.result.summary,
  };
}

/** `id  computed|cached  key…  summary`. */
function stepLine(id: string, o: RunOutcome, where = ''): string {
  return `${id.padEnd(8)} ${o.cached ? 'cached  ' : 'computed'} ${o.key.slice(0, 23)}…  ${where}${summaryText(o.result.summary)}`;
}

/** What the demo's numbers mean, in a few lines. */
function explain(steps: Record<string, { summary: Record<string, unknown> }>): string {
  const n = (id: string, k: string) => steps[id]?.summary[k];
  const lines = ['', 'what this means:'];
  if (steps.position)
    lines.push(
      `  position  tracking cleaned as Spyglass's TrodesPosV1; median speed ${n('position', 'medianSpeedCmPerS')} cm/s`,
    );
  if (steps.ripples)
    lines.push(
      `  ripples   ${n('ripples', 'events')} sharp-wave ripples (150-250 Hz, Kay's detector), only while the animal was still (< 4 cm/s)`,
    );
  if (steps.sort)
    lines.push(
      `  sort      ${n('sort', 'units')} units; metric curation accepts ${n('sort', 'accept')}, calls ${n('sort', 'mua')} multi-unit and ${n('sort', 'noise')} noise`,
    );
  if (steps.decode)
    lines.push(
      `  decode    position decoded from those units on the last 20 %: median error ${n('decode', 'medianErrorRunningCm')} cm while running (a short session: few spikes to learn from)`,
    );
  if (steps['decode-track'])
    lines.push(
      `  decode    15 min of place cells: median error ${n('decode-track', 'medianErrorRunningCm')} cm while running, on the held-out last 20 %`,
    );
  return lines.join('\n') + '\n';
}
