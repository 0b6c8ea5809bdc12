import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const cliVersion: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

describe('spyglass --version', () => {
  it.each([['--version'], ['-V']])('%s prints the cli package version and exits 0', async (flag) => {
    const r = await runCli([flag]);
    expect(r).toEqual({ code: 0, stdout: `${cliVersion}\n`, stderr: '' });
  });
  it('exits 2 with a one-line reason and the usage on an unknown option', async () => {
    const r = await runCli(['info', '--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^spyglass info: .*--no-such-option/);
    expect(r.stderr).toMatch(/usage: spyglass info/);
  });
  it('exits 2 on an unknown command', async () => {
    expect((await runCli(['--verison'])).code).toBe(2);
  });
});
