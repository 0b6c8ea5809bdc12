import { STEPS } from '@spyglass-wasm/pipelines';
import { verifyCrate } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { UsageError } from '../lib/options.js';
import { printJson, progress } from '../lib/output.js';
import { STORE_OPTIONS } from '../lib/step-command.js';
import { resolvePath } from '../lib/paths.js';

/**
 * `spyglass verify CRATE`: recompute an exported crate (folder or zip) from its inputs and compare. Exit 1 if not
 * reproduced.
 */
export const verifyCommand: Command = {
  name: 'verify',
  summary:
    'Recompute an exported RO-Crate (folder or zip, e.g. from the viewer) from its inputs; report each step reproduced / differs / missing input',
  args: 'CRATE',
  options: { json: STORE_OPTIONS.json },
  examples: ['spyglass verify crate/', 'spyglass verify crate.zip --json'],
  async run({ values, positionals }, io) {
    if (positionals.length !== 1)
      throw new UsageError('CRATE', 'one exported crate folder or crate zip', positionals.join(' ') || 'nothing');
    const report = await verifyCrate(resolvePath(io.cwd, positionals[0]), {
      steps: STEPS,
      onProgress: progress(io, 'verify'),
    });
    if (values.json) printJson(io, report);
    else {
      for (const f of report.changedFiles) io.stdout.write(`changed file: ${f}\n`);
      for (const f of report.unverifiedFiles) io.stdout.write(`unverified file (no step accounts for it): ${f}\n`);
      for (const s of report.steps)
        io.stdout.write(`${s.status.padEnd(13)} ${s.step} ${s.key}${s.detail ? `  (${s.detail})` : ''}\n`);
      io.stdout.write(report.ok ? 'all steps reproduced\n' : 'NOT reproduced\n');
    }
    return report.ok ? 0 : 1;
  },
};
