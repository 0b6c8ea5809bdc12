import { readFile } from 'node:fs/promises';
import { ParameterError } from '@spyglass-wasm/core';
import { STEPS } from '@spyglass-wasm/pipelines';
import { parsePipeline, runPipeline } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { UsageError } from '../lib/options.js';
import { printJson } from '../lib/output.js';
import { storeFor, STORE_OPTIONS } from '../lib/step-command.js';
import { resolvePath } from '../lib/paths.js';
import { StepTimer, formatTiming, type RecordingSize, type StepTiming } from '../lib/step-timing.js';

/** `spyglass run PIPELINE FILE...`: a pipeline (JSON or YAML) over one or many NWB files. */
export const runCommand: Command = {
  name: 'run',
  summary: 'Run a pipeline file (JSON or YAML: steps, parameter sets, inputs) over NWB files',
  args: 'PIPELINE FILE...',
  options: {
    ...STORE_OPTIONS,
    enqueue: { type: 'boolean', help: 'queue one job per file for spyglass worker instead of running here' },
    'each-epoch': {
      type: 'boolean',
      help: 'run once per epoch: the epoch is the interval of every step that takes one',
    },
    timing: {
      type: 'boolean',
      help: "print each step's wall time, throughput (raw samples/s, × real time) and peak RSS",
    },
  },
  examples: [
    'spyglass run pipeline.yaml a.nwb b.nwb',
    'spyglass run pipeline.yaml day.nwb --each-epoch --json',
    'spyglass run pipeline.yaml day.nwb --timing',
    'spyglass run pipeline.yaml *.nwb --enqueue --store postgres://lab-db/spyglass',
  ],
  async run({ values, positionals }, io) {
    const [pipelinePath, ...files] = positionals;
    if (!pipelinePath || files.length === 0)
      throw new UsageError(
        'PIPELINE FILE...',
        'a pipeline file and at least one NWB file',
        positionals.join(' ') || 'nothing',
      );
    const text = await readFile(resolvePath(io.cwd, pipelinePath), 'utf8').catch(() => {
      throw new ParameterError('PIPELINE', 'a readable pipeline file', pipelinePath);
    });
    const pipeline = parsePipeline(text, STEPS, pipelinePath);
    if (values['each-epoch'] && values.enqueue)
      throw new UsageError('--each-epoch', 'a local run (not with --enqueue)', true);
    // an epoch's LFP and a step's own interval need not overlap: one or the other, not both
    const own = pipeline.steps.filter((s) => s.interval !== undefined).map((s) => s.id ?? s.step);
    if (values['each-epoch'] && own.length)
      throw new UsageError(
        '--each-epoch',
        `a pipeline without step-level interval: keys (${pipelinePath} gives one to ${own.join(', ')})`,
        true,
      );
    const store = await storeFor(io, values);
    try {
      if (values.enqueue) {
        // one job per file, for `spyglass worker` processes sharing this store
        const jobs = [];
        for (const f of files)
          jobs.push({
            file: resolvePath(io.cwd, f),
            job: await store.enqueue({ pipeline, file: resolvePath(io.cwd, f) }),
          });
        if (values.json) printJson(io, { store: store.location, jobs });
        else for (const j of jobs) io.stdout.write(`queued job ${j.job}: ${j.file}\n`);
        return 0;
      }
      const runs: (Awaited<ReturnType<typeof runPipeline>>[number] & {
        epoch?: string;
        timing?: Record<string, StepTiming>;
      })[] = [];
      for (const file of files.map((f) => resolvePath(io.cwd, f))) {
        // once per epoch, as Spyglass runs a pipeline per IntervalList: steps that take an interval get the epoch
        const epochs = values['each-epoch'] ? await epochNames(file) : [undefined];
        const size = values.timing ? await recordingSize(file) : undefined;
        for (const epoch of epochs) {
          const timer = values.timing ? new StepTimer(size) : undefined;
          const timing: Record<string, StepTiming> = {};
          const [run] = await runPipeline(store, pipeline, [file], STEPS, {
            onStep: (f, id, o) => {
              const where = `${f}${epoch ? ` [${epoch}]` : ''} ${id}`;
              if (!values.json) io.stdout.write(`${where}: ${o.cached ? 'cached' : 'computed'} ${o.key}\n`);
              if (!timer) return;
              timing[id] = timer.lap(id);
              if (!values.json) io.stdout.write(`  timing ${formatTiming(timing[id])}\n`);
            },
            overrides: (step) => (epoch && step.optionalParams?.includes('interval') ? { interval: epoch } : undefined),
            threads: io.threads,
          });
          runs.push({ ...run, epoch, ...(timer ? { timing } : {}) });
        }
      }
      if (values.json) {
        printJson(io, {
          store: store.location,
          runs: runs.map((r) => ({
            file: r.file,
            ...(r.epoch ? { epoch: r.epoch } : {}),
            results: Object.fromEntries(
              Object.entries(r.results).map(([id, o]) => [
                id,
                {
                  step: o.result.step,
                  result: o.key,
                  cached: o.cached,
                  file: o.path,
                  summary: o.result.summary,
                  ...(r.timing ? { timing: r.timing[id] } : {}),
                },
              ]),
            ),
          })),
        });
      }
    } finally {
      await store.close();
    }
    return 0;
  },
};

/** The epochs of a file by the name --interval takes (each row's first tag), in time order. */
async function epochNames(file: string): Promise<string[]> {
  const { Session } = await import('@spyglass-wasm/pipelines');
  const { openNwb } = await import('@spyglass-wasm/nwb-io');
  const nwb = await openNwb(file);
  try {
    const epochs = nwb.intervals().find((t) => t.name === 'epochs');
    const tags = epochs?.columns.tags?.values as unknown[] | undefined;
    const names =
      tags?.map((row) =>
        ([] as unknown[]).concat(row).find((t): t is string => typeof t === 'string' && t.length > 0),
      ) ?? [];
    if (!epochs || names.length === 0 || names.some((n) => !n))
      throw new ParameterError(
        '--each-epoch',
        `an epochs table with a tag on every row in ${file}`,
        epochs ? 'untagged epochs' : 'no epochs',
      );
    new Session(nwb).interval(names[0]!); // the names resolve as --interval would
    return names as string[];
  } finally {
    nwb.close();
  }
}

/** The file's raw series in samples and seconds (the throughput's measure), if it has one. */
async function recordingSize(file: string): Promise<RecordingSize | undefined> {
  const { Session } = await import('@spyglass-wasm/pipelines');
  const { openNwb } = await import('@spyglass-wasm/nwb-io');
  const nwb = await openNwb(file);
  try {
    const raw = new Session(nwb).rawSeries();
    const [rows, channels] = raw.shape;
    const seconds = rows / raw.timing.rate;
    return seconds > 0 ? { samples: rows * (channels ?? 1), seconds } : undefined;
  } catch {
    return undefined; // no raw series: wall time and memory only
  } finally {
    nwb.close();
  }
}
