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
    const t0 = performance.now();
    const store = await storeFor(io, values);
    try {
      const say = (line: string) => values.json || io.stdout.write(line + '\n');
      const results = await demoPipeline(store, file, say, io.threads);
      if (track) {
        const o = await runStep(store, STEPS.decode, { units: { file: track } }, { threads: io.threads });
        results.steps['decode-track'] = reported(store, o);
        results.cached &&= o.cached;
        say(stepLine('decode', o, 'on linear-track-units.nwb: '));
      }
      const truth = positionals[0] ? undefined : await demoTruth();
      const numbers = figures(results.steps, truth, (performance.now() - t0) / 1000);
      if (!values.json) io.stdout.write(explain(numbers, results.cached));
      if (values.json)
        printJson(io, { store: store.location, resultsDir: store.resultsDir, file, ...results, figures: numbers });
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
async function demoPipeline(store: Store, file: string, say: Line, threads: number | undefined) {
  const steps: Record<string, ReturnType<typeof reported>> = {};
  const pipeline = parsePipeline(MAIN_PIPELINE, STEPS, 'main pipeline');
  await runPipeline(store, pipeline, [file], STEPS, {
    onStep: (_file, id, o) => {
      steps[id] = reported(store, o);
      say(stepLine(id, o));
    },
    threads,
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
    params: o.result.activity.params,
  };
}

/** `id  computed|cached  key…  summary`. */
function stepLine(id: string, o: RunOutcome, where = ''): string {
  return `${id.padEnd(8)} ${o.cached ? 'cached  ' : 'computed'} ${o.key.slice(0, 23)}…  ${where}${summaryText(o.result.summary)}`;
}

/** The bundled session's ground truth (simulated units and ripples), shipped beside it. */
async function demoTruth(): Promise<{ units: number; ripples: number } | undefined> {
  const path = demoSession('tetrode-session.truth.json');
  if (!path) return undefined;
  const { readFile } = await import('node:fs/promises');
  const t = JSON.parse(await readFile(path, 'utf8')) as { units: unknown[]; ripples: unknown[] };
  return { units: t.units.length, ripples: t.ripples.length };
}

type Steps = Record<string, { summary: Record<string, unknown>; params?: Record<string, unknown> }>;

/**
 * The demo's figures, rounded as the root README quotes them (the README test compares the two):
 * what was found against what was simulated, the decoding errors and the run time.
 */
function figures(steps: Steps, truth: { units: number; ripples: number } | undefined, seconds: number) {
  const n = (id: string, k: string) => steps[id]?.summary[k] as number | undefined;
  const round1 = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 10) / 10);
  const lfp = steps.lfp?.summary;
  const decode = steps.decode;
  return {
    sessionSeconds: lfp ? Math.round((lfp.samples as number) / (lfp.fs as number)) : undefined,
    ripples: n('ripples', 'events'),
    muaEvents: n('mua-events', 'events'),
    simulatedRipples: truth?.ripples,
    units: n('sort', 'units'),
    accepted: n('sort', 'accept'),
    mua: n('sort', 'mua'),
    noise: n('sort', 'noise'),
    simulatedUnits: truth?.units,
    medianSpeedCmPerS: n('position', 'medianSpeedCmPerS'),
    heldOutPercent: decode?.params ? Math.round((1 - (decode.params.trainFraction as number)) * 100) : undefined,
    heldOutSeconds: decode?.params
      ? Math.round((decode.summary.timeBins as number) * (decode.params.binSize as number))
      : undefined,
    medianErrorCm: round1(n('decode', 'medianErrorRunningCm')),
    trackMedianErrorCm: round1(n('decode-track', 'medianErrorRunningCm')),
    seconds: Math.round(seconds),
  };
}

/** What the demo's figures mean, in a few lines (the root README quotes them). */
function explain(f: ReturnType<typeof figures>, cached: boolean): string {
  const of = (x: number | undefined) => (x === undefined ? '' : ` (${x} simulated)`);
  const lines = ['', 'what this means (the figures the root README quotes):'];
  if (f.medianSpeedCmPerS !== undefined)
    lines.push(`  position  tracking cleaned as Spyglass's TrodesPosV1; median speed ${f.medianSpeedCmPerS} cm/s`);
  if (f.ripples !== undefined)
    lines.push(
      `  ripples   ${f.ripples} sharp-wave ripples${of(f.simulatedRipples)} in the ${f.sessionSeconds} s session (150-250 Hz, Kay's detector), only while the animal was still (< 4 cm/s)`,
    );
  if (f.units !== undefined)
    lines.push(
      `  sort      ${f.units} units; metric curation accepts ${f.accepted}${of(f.simulatedUnits)}, calls ${f.mua} multi-unit and ${f.noise} noise`,
    );
  if (f.muaEvents !== undefined)
    lines.push(
      `  mua       ${f.muaEvents} multiunit high-synchrony events of the sorted units (population rate z >= 2), also only while still`,
    );
  if (f.medianErrorCm !== undefined)
    lines.push(
      `  decode    position decoded from those units on the held-out last ${f.heldOutPercent} % (${f.heldOutSeconds} s): median error ${f.medianErrorCm} cm while running (a short session: few spikes to learn from)`,
    );
  if (f.trackMedianErrorCm !== undefined)
    lines.push(
      `  decode    15 min of place cells (linear-track-units.nwb): median error ${f.trackMedianErrorCm} cm while running, on the held-out last ${f.heldOutPercent} %`,
    );
  lines.push(
    `  time      ${f.seconds} s ${cached ? '(every result reused from the store)' : 'including what was computed'}`,
  );
  return lines.join('\n') + '\n';
}
