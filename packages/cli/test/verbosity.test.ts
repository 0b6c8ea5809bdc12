// --quiet and --verbose, anywhere on the line, on any command: what each prints on stderr and what
// neither touches (the results on stdout, the exit code).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NwbFormatError } from '@spyglass-wasm/core';
import { main, progress, type Command } from '../src/index.js';

/** A command that reports progress, prints a result, then fails as asked (`--fail bug|data`). */
const STEP: Command = {
  name: 'step',
  summary: 'a step for the test',
  args: '',
  options: { fail: { type: 'string', help: 'bug or data' } },
  examples: ['spyglass step'],
  async run({ values }, io) {
    const report = progress(io, 'step');
    report(0.5);
    report(1);
    io.stdout.write('result 42\n');
    if (values.fail === 'bug') throw new TypeError('x is not a function');
    if (values.fail === 'data') throw new NwbFormatError('s.nwb', '/acquisition', 'an ElectricalSeries');
    return 0;
  },
};

/** Runs the CLI with `env` as the process's (no SPYGLASS_QUIET unless --quiet sets it); stderr is a pipe. */
async function run(argv: string[]) {
  const out = new PassThrough(),
    err = new PassThrough();
  let stdout = '',
    stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await main(argv, [STEP], { stdout: out, stderr: err, cwd: '/', env: {} });
  await new Promise((r) => setImmediate(r));
  return { code, stdout, stderr };
}

describe('--quiet and --verbose', () => {
  it('by default: one progress line per step on a pipe, the result on stdout, an unexpected error in one line', async () => {
    expect(await run(['step'])).toEqual({
      code: 0,
      stdout: 'result 42\n',
      stderr: expect.stringMatching(/^step done in [\d.]+ s/),
    });
    const bug = await run(['step', '--fail', 'bug']);
    expect(bug.code).toBe(1);
    expect(bug.stderr.trim().split('\n').slice(1)).toEqual(['spyglass step: x is not a function']);
  });

  it('--quiet (or -q, anywhere): no progress; results and errors still print, exit codes unchanged', async () => {
    for (const argv of [
      ['--quiet', 'step'],
      ['step', '--quiet'],
      ['step', '-q'],
    ])
      expect(await run(argv)).toEqual({ code: 0, stdout: 'result 42\n', stderr: '' });
    expect(await run(['step', '--quiet', '--fail', 'data'])).toEqual({
      code: 1,
      stdout: 'result 42\n',
      stderr: expect.stringMatching(/^spyglass step: s\.nwb: \/acquisition: expected an ElectricalSeries[^\n]*\n$/),
    });
  });

  it('--verbose: the stack trace of an unexpected error, never of a data error; progress and stdout as without it', async () => {
    const bug = await run(['step', '--verbose', '--fail', 'bug']);
    expect(bug.code).toBe(1);
    expect(bug.stdout).toBe('result 42\n');
    expect(bug.stderr).toMatch(/^step done in/);
    expect(bug.stderr).toMatch(/spyglass step: x is not a function\nTypeError: x is not a function\n\s+at /);
    const data = await run(['--verbose', 'step', '--fail', 'data']);
    expect(data.code).toBe(1);
    expect(data.stderr).not.toMatch(/\n\s+at /);
    expect(data.stderr.trim().split('\n')).toHaveLength(2); // the progress line and the one error line
  });

  it('--quiet --verbose together: no progress, and the stack trace', async () => {
    const r = await run(['step', '-q', '--verbose', '--fail', 'bug']);
    expect(r.stderr).toMatch(/^spyglass step: x is not a function\nTypeError: /);
  });
});
