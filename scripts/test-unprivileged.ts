// Runs code without root's privileges, so permission checks are tested when the suite runs as
// root (CI does), who reads every file. The modules load first, as root (the checkout may sit in a
// folder only root can enter), then the process drops to `nobody` and runs the body.
import { spawnSync } from 'node:child_process';

const NOBODY = 65534;

/**
 * Runs an ES module snippet in a fresh Node process: `imports` as the calling user, then (when that
 * user is root) as `nobody`, `body`. Returns its exit status and output.
 *
 * @example
 * const r = runUnprivileged(`import { openNwb } from '${url}';`, `await openNwb('/tmp/locked.nwb');`);
 */
export function runUnprivileged(
  imports: string,
  body: string,
): { status: number | null; stdout: string; stderr: string } {
  const drop = `if (process.getuid?.() === 0) { process.setgid(${NOBODY}); process.setuid(${NOBODY}); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `${imports}\n${drop}\n${body}`], {
    encoding: 'utf8',
    env: { ...process.env, SPYGLASS_QUIET: '1' },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
