import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `-5`, `-0.5`, `-.5`, `-1e3`, `-Infinity`: what a user means as a negative number, never a flag. */
const NEGATIVE_NUMBER = /^-(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^-Infinity$/i;

/**
 * Rewrites `--start -5` (and `-s -5`) as `--start=-5` for options that take a value, so that
 * node:util parseArgs, which reads any word starting with `-` as an option, reads the negative
 * number as the option's value. Words after `--` and values of boolean flags are left alone.
 *
 * @example
 * joinNegativeValues(['--start', '-5', '--stop', '10'], { start: { type: 'string' }, stop: { type: 'string' } });
 * // -> ['--start=-5', '--stop', '10']
 */
export function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const takesValue = new Map<string, string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type !== 'string') continue;
    takesValue.set(`--${name}`, name);
    if (option.short) takesValue.set(`-${option.short}`, name);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = takesValue.get(arg);
    if (name !== undefined && i + 1 < args.length && NEGATIVE_NUMBER.test(args[i + 1])) {
      out.push(`--${name}=${args[i + 1]}`);
      i++;
    } else out.push(arg);
  }
  return out;
}
