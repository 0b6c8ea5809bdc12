import { exportCrate } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { printJson, progress } from '../lib/output.js';
import { UsageError } from '../lib/options.js';
import { requiredOption, resolveResult, storeFor, STORE_OPTIONS } from '../lib/step-command.js';
import { checkOutputFolder, resolvePath } from '../lib/paths.js';

/** `spyglass export RESULT --out DIR`: everything upstream of a result as an RO-Crate. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a result and everything upstream as an RO-Crate folder',
  args: 'RESULT',
  options: {
    ...STORE_OPTIONS,
    out: {
      type: 'string',
      short: 'o',
      value: 'DIR',
      help: 'the crate folder (new or empty; end in .zip for a zip)',
      required: true,
    },
    force: { type: 'boolean', help: 'write into a non-empty folder, replacing files of the same name' },
  },
  examples: ['spyglass export 3f2a9c --out crate/', 'spyglass export 3f2a9c --out crate.zip'],
  async run({ values, positionals }, io) {
    if (positionals.length !== 1)
      throw new UsageError('RESULT', 'one result id (or a unique prefix)', positionals.join(' ') || 'nothing');
    const dir = resolvePath(io.cwd, requiredOption(values, 'out', 'a folder to write the crate to'));
    await checkOutputFolder(dir, { force: values.force as boolean });
    const store = await storeFor(io, values);
    try {
      const key = await resolveResult(store, positionals[0]);
      const summary = await exportCrate(store, key, dir, { onProgress: progress(io, 'export') });
      if (values.json) printJson(io, { result: key, ...summary });
      else
        io.stdout.write(
          `exported ${summary.results.length} results, ${summary.files.length} files to ${summary.dir}\n`,
        );
    } finally {
      await store.close();
    }
    return 0;
  },
};
