import { checkStore, type StoreCheck } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { UsageError } from '../lib/options.js';
import { printJson } from '../lib/output.js';
import { resolvePath } from '../lib/paths.js';
import { storeFor, STORE_OPTIONS } from '../lib/step-command.js';

/**
 * `spyglass store check [--repair]`: result files against rows, and what crashes left. Exit 1 when
 * something is wrong and was not repaired.
 */
export const storeCommand: Command = {
  name: 'store',
  summary:
    'Check the store: orphan result files, rows whose file is missing or altered, crash leftovers (--repair fixes)',
  args: 'check',
  options: {
    ...STORE_OPTIONS,
    repair: { type: 'boolean', help: 'remove orphan and partial files, mark broken results invalid' },
    out: {
      type: 'string',
      multiple: true,
      short: 'o',
      value: 'DIR',
      help: 'also look for leftovers of --out files here (repeatable)',
      default: 'the working folder',
    },
  },
  examples: ['spyglass store check', 'spyglass store check --repair --out results/'],
  async run({ values, positionals }, io) {
    if (positionals[0] !== 'check' || positionals.length !== 1)
      throw new UsageError('store subcommand', "'check'", positionals.join(' ') || 'nothing');
    const dirs = [io.cwd, ...((values.out as string[] | undefined) ?? []).map((d) => resolvePath(io.cwd, d))];
    const store = await storeFor(io, values);
    let report: StoreCheck;
    try {
      report = await checkStore(store, { repair: values.repair === true, dirs });
    } finally {
      await store.close();
    }
    if (values.json) printJson(io, { store: store.location, ...report });
    else io.stdout.write(describe(report, store.location));
    return report.ok || report.repaired ? 0 : 1;
  },
};

function describe(r: StoreCheck, location: string): string {
  const lines = [
    ...r.orphanFiles.map((f) => `orphan file (no row): ${f}`),
    ...r.missingFiles.map((m) => `missing file: ${m.file} (result ${m.key})`),
    ...r.checksumMismatches.map((m) => `checksum differs: ${m.file} (result ${m.key})`),
    ...r.partialFiles.map((f) => `partial file: ${f}`),
    ...r.scratch.map((f) => `scratch left by a killed run: ${f}`),
  ];
  if (r.repaired)
    lines.push(
      `repaired: removed ${r.repaired.removed.length} file(s), marked ${r.repaired.invalidated.length} result(s) invalid (recomputed on next use)`,
    );
  lines.push(
    r.ok
      ? `store ${location}: ok`
      : r.repaired
        ? `store ${location}: repaired`
        : `store ${location}: problems found (spyglass store check --repair fixes them)`,
  );
  return lines.join('\n') + '\n';
}
