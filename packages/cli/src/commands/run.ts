import { readFile } from 'node:fs/promises';
import { ParameterError } from '@spyglass-wasm/core';
import { STEPS } from '@spyglass-wasm/pipelines';
import { parsePipeline, runPipeline } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { printJson } from '../lib/output.js';
import { storeFor, STORE_OPTIONS } from '../lib/step-command.js';
import { resolvePath } from '../lib/paths.js';

/** `spyglass run PIPELINE FILE...`: a pipeline (JSON or YAML) over one or many NWB files. */
export const runCommand: Command = {
  name: 'run',
  summary: 'Run a pipeline file (JSON or YAML: steps, parameter sets, inputs) over NWB files',
  usage: 'spyglass run PIPELINE FILE... [--enqueue] [--store URL|DIR] [--json]',
  options: { ...STORE_OPTIONS, enqueue: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const [pipelinePath, ...files] = positionals;
    if (!pipelinePath || files.length === 0) throw new ParameterError('arguments', 'a pipeline file and at least one NWB file', positionals.join(' ') || 'nothing');
    const text = await readFile(resolvePath(io.cwd, pipelinePath), 'utf8').catch(() => {
      throw new ParameterError('PIPELINE', 'a readable pipeline file', pipelinePath);
    });
    const pipeline = parsePipeline(text, STEPS, pipelinePath);
    const store = await storeFor(io, values);
    try {
      if (values.enqueue) {
        // one job per file, for `spyglass worker` processes sharing this store
        const jobs = [];
        for (const f of files) jobs.push({ file: resolvePath(io.cwd, f), job: await store.enqueue({ pipeline, file: resolvePath(io.cwd, f) }) });
        if (values.json) printJson(io, { store: store.location, jobs });
        else for (const j of jobs) io.stdout.write(`queued job ${j.job}: ${j.file}\n`);
        return 0;
      }
      const runs = await runPipeline(store, pipeline, files.map((f) => resolvePath(io.cwd, f)), STEPS, {
        onStep: (file, id, o) => values.json || io.stdout.write(`${file} ${id}: ${o.cached ? 'cached' : 'computed'} ${o.key}\n`),
      });
      if (values.json) {
        printJson(io, {
          store: store.location,
          runs: runs.map((r) => ({
            file: r.file,
            results: Object.fromEntries(Object.entries(r.results).map(([id, o]) => [id, { step: o.result.step, result: o.key, cached: o.cached, file: o.path, summary: o.result.summary }])),
          })),
        });
      }
    } finally {
      await store.close();
    }
    return 0;
  },
};
