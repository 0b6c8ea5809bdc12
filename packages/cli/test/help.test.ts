// Every command's --help lists every option with its meaning and default, and examples; a default that is a step
// parameter's is the step's own (its 'default' parameter set), not retyped text.
import { describe, expect, it } from 'vitest';
import { STEPS } from '@spyglass-wasm/pipelines';
import { commands } from '../src/index.js';
import type { OptionSpec } from '../src/lib/options.js';
import { runCli } from './run-cli.js';

/** The help line of `--name`, and the text after its flag. */
function optionLine(help: string, name: string): string {
  const line = help.split('\n').find((l) => new RegExp(`^  --${name}(,| |$)`).test(l));
  expect(line, `--${name}`).toBeDefined();
  return line!;
}

describe('spyglass <command> --help', () => {
  it.each(commands.map((c) => [c.name, c] as const))('%s: every option, its default, an example', async (name, c) => {
    const r = await runCli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(c.summary);
    expect(r.stdout).toContain(`usage: spyglass ${name}`);
    const common: [string, OptionSpec | undefined][] = ['help', 'quiet', 'verbose'].map((o) => [o, undefined]);
    for (const [option, spec] of [...Object.entries(c.options), ...common]) {
      const line = optionLine(r.stdout, option);
      // a meaning after the flag, then "(default: …)" or "(required)"
      expect(line, option).toMatch(/ {2}\S.*\((default: .+|required)\)$/);
      if (spec?.param && !spec.required) {
        const defaults = STEPS[spec.param.step].paramSets?.default ?? {};
        if (defaults[spec.param.name] != null) {
          const v = defaults[spec.param.name];
          expect(line, option).toContain(`(default: ${typeof v === 'string' ? v : JSON.stringify(v)})`);
        }
      }
    }
    const examples = r.stdout.split('\nexamples:\n')[1];
    expect(examples, 'examples').toBeDefined();
    for (const e of examples.trim().split('\n')) expect(e.trim()).toMatch(new RegExp(`^spyglass ${name}\\b`));
  });

  it("shows the steps' defaults (spot checks against the numbers the steps declare)", async () => {
    const decode = (await runCli(['decode', '--help'])).stdout;
    expect(optionLine(decode, 'bin-size')).toMatch(/\(default: 0\.002\)$/);
    expect(optionLine(decode, 'train-fraction')).toMatch(/\(default: 0\.8\)$/);
    expect(optionLine(decode, 'state-space')).toMatch(/\(default: continuous\)$/);
    expect(optionLine(decode, 'mode')).toMatch(/\(default: sorted\)$/);
    expect(optionLine((await runCli(['replay', '--help'])).stdout, 'shuffles')).toMatch(/\(default: 500\)$/);
    expect(optionLine((await runCli(['sort', '--help'])).stdout, 'threshold')).toMatch(/\(default: 4\)$/);
    expect(optionLine((await runCli(['sort', '--help'])).stdout, 'learn-spikes')).toMatch(/\(default: 6000\)$/);
    expect(optionLine((await runCli(['ripples', '--help'])).stdout, 'detector')).toMatch(/\(default: kay\)$/);
    const lfp = (await runCli(['lfp', '--help'])).stdout;
    expect(optionLine(lfp, 'interval')).toMatch(/\(default: the whole session\)$/);
    expect(lfp).toMatch(
      /parameters of the lfp step[^\n]*\n {2}targetFs=1000 passband=400 stopband=425 attenuation=120\n/,
    );
  });

  it('the overview names every command and how to get its help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    for (const c of commands)
      expect(lines.some((l) => l.startsWith(`  ${c.name} `) && l.endsWith(c.summary))).toBe(true);
    expect(r.stdout).toMatch(/spyglass <command> --help lists its options/);
  });
});
