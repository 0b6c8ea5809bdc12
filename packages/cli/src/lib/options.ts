import { availableParallelism } from 'node:os';
import type { ParseArgsConfig } from 'node:util';
import { ParameterError } from '@spyglass-wasm/core';
import { STEPS } from '@spyglass-wasm/pipelines';
import type { Command } from './command.js';

/** One command-line option: how it is parsed, what it means and where its default comes from (for --help). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's placeholder in --help (NAME, S, OUT.nwb). */
  value?: string;
  /** What the option does, in a few words. */
  help: string;
  /**
   * The step parameter the option sets: its default is read from the step's 'default' parameter set, and
   * (unless `override: false`, when the command sets it itself) its value becomes that parameter.
   */
  param?: { step: string; name: string; number?: boolean; override?: false };
  /** Default in words, when no step parameter carries one ('the whole session'). */
  default?: string;
  /** The command refuses to run without it. */
  required?: boolean;
}

/** A command's options by long name (without `--`). */
export type OptionTable = Record<string, OptionSpec>;

/** A command-line mistake (a missing or extra argument, a bad or missing option value): exit 2, not 1. */
export class UsageError extends ParameterError {}

/** The table as node:util parseArgs reads it (only type, short, multiple). */
export function parseConfig(options: OptionTable): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );
}

/** A value as --help and `spyglass params` show it: strings bare, the rest as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The default --help shows for an option: the step parameter's default when it has one (not null),
 * else the table's words, 'off' for a flag, undefined for a required option.
 */
function optionDefault(o: OptionSpec): string | undefined {
  const defaults = o.param && STEPS[o.param.step]?.paramSets?.default;
  // null (none) says less than the table's words ('the whole session')
  if (defaults && defaults[o.param!.name] != null) return shown(defaults[o.param!.name]);
  if (o.default !== undefined) return o.default;
  return o.type === 'boolean' ? 'off' : undefined;
}

/**
 * The values of the options that set parameters of `step`, as step overrides (numbers parsed;
 * a value that is not a number is a usage error naming the option).
 *
 * @example
 * stepOverrides(decodeCommand.options, { 'bin-size': '0.01' }, 'decode'); // { binSize: 0.01 }
 */
export function stepOverrides(
  options: OptionTable,
  values: Record<string, unknown>,
  step: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(options)) {
    if (!o.param || o.param.step !== step || o.param.override === false || values[name] === undefined) continue;
    const raw = values[name];
    if (!o.param.number) out[o.param.name] = raw;
    else {
      const n = String(raw).trim() === '' ? NaN : Number(raw);
      if (Number.isNaN(n)) throw new UsageError(`--${name}`, 'a number', raw);
      out[o.param.name] = n;
    }
  }
  return out;
}

/** Step parameter -> the option that sets it (`binSize` -> `--bin-size`), so errors name what the user typed. */
export function optionNames(options: OptionTable, step: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(options)
      .filter(([, o]) => o.param?.step === step)
      .map(([name, o]) => [o.param!.name, `--${name}`]),
  );
}

/** `spyglass NAME ARGS [options]`. */
export function usageLine(command: Command): string {
  return `spyglass ${command.name}${command.args ? ` ${command.args}` : ''} [options]`;
}

/** --threads when not given: the threads this process may run at once, at least 1. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** Options every command takes (main reads --quiet, --verbose and --threads anywhere on the line). */
const COMMON: OptionTable = {
  help: { type: 'boolean', short: 'h', help: 'print this help' },
  quiet: { type: 'boolean', short: 'q', help: 'no progress on stderr' },
  verbose: { type: 'boolean', help: 'stack traces of unexpected errors' },
  threads: {
    type: 'string',
    value: 'N',
    help: 'threads a step may use (sort: electrode groups in parallel); never part of a result key',
    default: `os.availableParallelism(), ${defaultThreads()} here`,
  },
};

/**
 * `spyglass <command> --help`: the summary, the usage line, every option with its meaning and
 * default (a step parameter's default from the step's own parameter sets), the parameters of the
 * command's step, and examples.
 */
export function commandHelp(command: Command): string {
  const rows = Object.entries({ ...command.options, ...COMMON }).map(([name, o]) => {
    const flag = `--${name}${o.short ? `, -${o.short}` : ''}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const def = optionDefault(o);
    const tail = o.required ? ' (required)' : def === undefined ? '' : ` (default: ${def})`;
    return [flag, `${o.help}${tail}`];
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  const lines = [command.summary, '', `usage: ${usageLine(command)}`, '', 'options:'];
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  const step = command.step ? STEPS[command.step] : undefined;
  if (step?.paramSets) {
    const sets = Object.keys(step.paramSets);
    lines.push(
      '',
      `parameters of the ${step.name} step (its default set; other sets: ${sets.filter((s) => s !== 'default').join(', ') || 'none'}; spyglass params ${step.name} lists them):`,
      `  ${Object.entries(step.paramSets.default ?? {})
        .map(([k, v]) => `${k}=${shown(v)}`)
        .join(' ')}`,
    );
  }
  lines.push('', 'examples:', ...command.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

/**
 * Runs a check of a command-line value (core's checkNumber, checkChoice): its ParameterError
 * becomes a UsageError, so the command exits 2.
 *
 * @example
 * const port = usage(() => checkNumber('--port', Number(values.port), { min: 0, max: 65535, integer: true }));
 */
export function usage<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof ParameterError && !(err instanceof UsageError))
      throw new UsageError(err.parameter ?? 'option', err.expected ?? 'a valid value', err.received);
    throw err;
  }
}
