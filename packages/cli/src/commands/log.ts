import { lineageText } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { printJson } from '../lib/output.js';
import { resultArgument, STORE_OPTIONS, withStore } from '../lib/step-command.js';

/** `spyglass log RESULT`: the lineage of a result, readable (or as records with --json). */
export const logCommand: Command = {
  name: 'log',
  summary: 'Lineage of a result: steps, parameters, code versions, inputs',
  args: 'RESULT',
  options: { ...STORE_OPTIONS },
  examples: ['spyglass log 3f2a9c', 'spyglass log 3f2a9c --json'],
  async run({ values, positionals }, io) {
    await withStore(io, values, async (store) => {
      const key = await resultArgument(store, positionals);
      if (values.json) printJson(io, { result: key, lineage: await store.lineage(key) });
      else io.stdout.write((await lineageText(store, key)).join('\n') + '\n');
    });
    return 0;
  },
};
