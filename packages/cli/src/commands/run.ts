import { readFile } from 'node:fs/promises';
import { ParameterError } from '@spyglass-wasm/core';
import { STEPS, parsePipeline, runPipeline } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { printJson } from '../lib/output.js';
import { storeFor, STORE_OPTIONS } from '../lib/step-command.js';
import { resolvePath } from './lfp.js';

/** `spyglass run PIPELINE FILE...`: a pipeline (JSON or YAML) over one or many NWB files. */
export const runCommand: Command = {
  name: 'run',
  summary: 'Run a pipeline file (JSON or YAML: steps, parameter sets, inputs) over NWB files',
  usage: 'spyglass run PIPELINE FILE... [--store URL|DIR] [--json]',
  options: { ...STORE_OPTIONS },
  async run({ values, positionals }, io) {
    const [pipelinePath, ...files] = positionals;
    if (!pipelinePath || files.length === 0) throw new ParameterError('arguments', 'a pipeline file and at least one NWB file', positionals.join(' ') || 'nothing');
    const text = await readFile(resolvePath(io.cwd, pipelinePath), 'utf8').catch(() => {
      throw new ParameterError('PIPELINE', 'a readable pipeline file', pipelinePath);
    });
    const pipeline = parsePipeline(text, STEPS, pipelinePath);
    const store = await storeFor(io, values);
    try {
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
