import { PassThrough } from 'node:stream';
import { commands, main } from '../src/index.js';

/** Runs the CLI in-process; returns exit code and captured stdout/stderr. */
export async function runCli(
  argv: string[],
  cwd = process.cwd(),
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough(),
    err = new PassThrough();
  let stdout = '',
    stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await main(argv, commands, { stdout: out, stderr: err, cwd, env: { SPYGLASS_QUIET: '1', ...env } });
  return { code, stdout, stderr };
}
