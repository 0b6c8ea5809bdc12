import { describe, expect, it } from 'vitest';
import { joinNegativeValues } from '../src/lib/args.js';
import { runCli } from './run-cli.js';

const OPTIONS = { start: { type: 'string' }, out: { type: 'string', short: 'o' }, json: { type: 'boolean' } } as const;

describe('negative numbers on the command line', () => {
  it('a negative number after an option that takes a value becomes its value', () => {
    expect(joinNegativeValues(['--start', '-5', 'f.nwb'], OPTIONS)).toEqual(['--start=-5', 'f.nwb']);
    for (const v of ['-0.5', '-.5', '-1e3', '-2.5E-2', '-Infinity'])
      expect(joinNegativeValues(['--start', v], OPTIONS)).toEqual([`--start=${v}`]);
    expect(joinNegativeValues(['-o', '-3'], OPTIONS)).toEqual(['--out=-3']);
  });
  it('leaves flags, boolean options, --start=-5 and words after -- alone', () => {
    expect(joinNegativeValues(['--start', '--json'], OPTIONS)).toEqual(['--start', '--json']);
    expect(joinNegativeValues(['--json', '-5'], OPTIONS)).toEqual(['--json', '-5']);
    expect(joinNegativeValues(['--start=-5'], OPTIONS)).toEqual(['--start=-5']);
    expect(joinNegativeValues(['--', '--start', '-5'], OPTIONS)).toEqual(['--', '--start', '-5']);
    expect(joinNegativeValues(['--start', '-5x'], OPTIONS)).toEqual(['--start', '-5x']);
  });
  it('`--start -5` and `--start=-5` reach the command as the same value', async () => {
    // --stop before --start: the command's own check names --stop and echoes the parsed --start
    for (const argv of [
      ['--start', '-5', '--stop', '-10'],
      ['--start=-5', '--stop=-10'],
    ]) {
      const r = await runCli(['lfp', 'missing.nwb', ...argv]);
      expect(r.code).toBe(2); // a usage error, found before the file is looked at
      expect(r.stderr).toMatch(/'--stop': expected a time in seconds after --start \(-5\), got "-10"/);
    }
  });
  it('an option missing its value is still a usage error (exit 2)', async () => {
    const r = await runCli(['lfp', 'missing.nwb', '--start']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--start/);
  });
});
