import { ParameterError } from '@spyglass-wasm/core';
import { lineageText } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { printJson } from '../lib/output.js';
import { resolveResult, storeFor, STORE_OPTIONS } from '../lib/step-command.js';

/** `spyglass log RESULT`: the lineage of a result, readable (or as records with --json). */
export const logCommand: Command = {
  name: 'log',
  summary: 'Lineage of a result: steps, parameters, code versions, inputs',
  usage: 'spyglass log RESULT [--store URL|DIR] [--json]',
  options: { ...STORE_OPTIONS },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new ParameterError('RESULT', 'one result id (or a unique prefix)', positionals.join(' ') || 'nothing');
    const store = await storeFor(io, values);
    try {
      const key = await resolveResult(store, positionals[0]);
      if (values.json) printJson(io, { result: key, lineage: await store.lineage(key) });
      else io.stdout.write((await lineageText(store, key)).join('\n') + '\n');
    } finally {
      await store.close();
    }
    return 0;
  },
};
