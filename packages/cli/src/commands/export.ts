import { ParameterError } from '@spyglass-wasm/core';
import { exportCrate } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { printJson, progress } from '../lib/output.js';
import { resolveResult, storeFor, STORE_OPTIONS } from '../lib/step-command.js';
import { checkOutputFolder, resolvePath } from '../lib/paths.js';

/** `spyglass export RESULT --out DIR`: everything upstream of a result as an RO-Crate. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a result and everything upstream as an RO-Crate folder',
  usage: 'spyglass export RESULT --out DIR [--force] [--store URL|DIR] [--json]',
  options: { ...STORE_OPTIONS, out: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1)
      throw new ParameterError('RESULT', 'one result id (or a unique prefix)', positionals.join(' ') || 'nothing');
    if (!values.out) throw new ParameterError('--out', 'a folder to write the crate to', 'nothing');
    const dir = resolvePath(io.cwd, values.out as string);
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
